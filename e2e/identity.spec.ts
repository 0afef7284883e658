import { expect, test, type Page } from '@playwright/test';
import { newOrg } from './harness';

// Identity (I1, I2, I4) in real Chromium: WebCrypto Ed25519 keys in IndexedDB, the proof of work in
// the app's worker pool (WebAssembly SIMD), the ledger re-validated on every load.

async function openIdentity(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Identity' }).click();
  await expect(page.getByRole('heading', { name: 'My identity' })).toBeVisible();
  const fingerprint = page.getByLabel('Key fingerprint');
  await expect(fingerprint).toHaveText(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  return (await fingerprint.textContent())!;
}

test('[I1][I2][I4] an organisation gets a key, registers on first run with a 20-bit proof of work, and keeps both across reloads', async ({ browser }) => {
  const a = await newOrg(browser, 'Amel Association');
  const b = await newOrg(browser, 'Basmeh & Zeitooneh');

  const fingerprintA = await openIdentity(a.page);
  const fingerprintB = await openIdentity(b.page);
  expect(fingerprintA).not.toBe(fingerprintB);
  await expect(a.page.getByRole('img', { name: `QR code of fingerprint ${fingerprintA}` })).toBeVisible();

  // Registration starts by itself on first run. The register event is signed by the non-extractable
  // WebCrypto key and must pass the strict JavaScript (noble) verifier before it is stored:
  // "Registered" proves both agree in Chromium.
  await expect(a.page.getByText('Registered', { exact: true })).toBeVisible();
  await expect(a.page.getByText('Partners accept checks with this installation.')).toBeVisible();
  // #12: the numbers are behind "Details".
  await a.page.getByRole('region', { name: 'My identity' }).getByText('Details', { exact: true }).click();
  await expect(a.page.getByLabel('Balance')).toHaveText('100');
  await expect(a.page.getByText('0 solved, 0 ignored')).toBeVisible();

  // Reload: same key, and the stored ledger passes re-validation (WebCrypto verify) on load.
  await a.page.reload();
  await expect(a.page.getByLabel('Key fingerprint')).toHaveText(fingerprintA);
  await expect(a.page.getByLabel('Balance')).toHaveText('100');
  await expect(a.page.getByText(/failed their check on load/)).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});

test('[I2] a registration in progress shows its progress and can be cancelled', async ({ browser }) => {
  // 34 bits: tens of minutes of work, so the test sees the first-run registration in progress and
  // cancels it (the network asks for 20).
  const org = await newOrg(browser, 'Caritas Lebanon', { solveBits: 34 });
  await openIdentity(org.page);

  const progress = org.page.getByRole('progressbar', { name: 'Registration progress' });
  await expect(progress).toBeVisible();
  await expect(org.page.getByText(/Registering… [1-9][\d,]* tries so far/)).toBeVisible();

  await org.page.getByRole('button', { name: 'Cancel registration' }).click();
  await expect(progress).toHaveCount(0);
  await expect(org.page.getByRole('button', { name: 'Register this installation' })).toBeVisible();
  await org.context.close();
});
