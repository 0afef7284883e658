import { existsSync } from 'node:fs';
import { expect, test, type BrowserContext } from '@playwright/test';
import { addContacts, connect, newOrg, type Person } from './harness';

// S8: the built app under the server's strict Content-Security-Policy, in real Chromium: the service
// worker, the Comlink workers, WebAssembly (the registration's proof of work and the PSI kernels in
// workers) and inline styles all work, and neither the pages nor their workers report a violation.

const shared: Person = { first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' };
const onlyA: Person = { first: 'Victor', last: 'Niederhoffler', father: 'Artie', mother: 'Gemma', born: '1976-05-07' };

/** Every console line of the context's pages and workers that speaks of the policy, and each violation event. */
function watchPolicy(found: string[], encodings?: Map<string, string>): (context: BrowserContext) => Promise<void> {
  return async (context) => {
    // S8: how each script came over the wire (the service worker may serve later loads from its cache).
    context.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (encodings && path.startsWith('/assets/') && path.endsWith('.js') && !response.fromServiceWorker()) {
        encodings.set(path, response.headers()['content-encoding'] ?? 'identity');
      }
    });
    context.on('console', (message) => {
      if (/content security policy|refused to/i.test(message.text())) found.push(`${message.type()}: ${message.text()}`);
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to load: CSP violation of ${e.violatedDirective} by ${e.blockedURI}`));
    });
  };
}

test('[S8] the app works under the strict CSP (service worker, workers, WebAssembly, styles, WebRTC, no violation) and its scripts come brotli-compressed', async ({ browser }) => {
  test.setTimeout(180_000);
  const violations: string[] = [];
  const encodings = new Map<string, string>();
  const a = await newOrg(browser, 'Org A', { watch: watchPolicy(violations, encodings) });
  const b = await newOrg(browser, 'Org B', { watch: watchPolicy(violations) });

  // The document was served with the policy that is being tested.
  const response = await a.page.request.get('/');
  expect(response.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

  // The service worker installs and controls the page (workbox, same-origin script).
  await expect.poll(() => a.page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
  await expect.poll(() => a.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  // The page may compile WebAssembly ('wasm-unsafe-eval') but not evaluate strings.
  expect(
    await a.page.evaluate(async () => {
      const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
      return (await WebAssembly.compile(empty)) instanceof WebAssembly.Module;
    }),
  ).toBe(true);
  // The policy is really enforced: an injected inline script does not run, and is reported.
  const ran = await a.page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'document.body.dataset.inline = "ran"';
    document.head.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return document.body.dataset.inline ?? 'blocked';
  });
  expect(ran).toBe('blocked');
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  violations.splice(0); // the refused inline script above is the one violation expected

  // The stylesheet applies (style-src 'self').
  expect(await a.page.evaluate(() => Array.from(document.styleSheets).some((sheet) => sheet.cssRules.length > 10))).toBe(true);

  await addContacts(a.page, [shared, onlyA]);
  await addContacts(b.page, [shared]);

  // A psi-v2 check: WebRTC data channel, the check workers and their WebAssembly kernels.
  await connect(a, b);
  await a.page.getByRole('button', { name: 'Check overlap with Org B' }).click();
  await b.page.getByRole('dialog', { name: 'Check request from Org A' }).getByRole('button', { name: 'Accept' }).click();
  await expect(a.page.getByText(/Check complete: 1 of 2 contacts are also known to Org B/)).toBeVisible({ timeout: 60_000 });

  // Every screen renders under the policy.
  for (const screen of ['#/contacts', '#/contacts/new', '#/duplicates', '#/import', '#/export', '#/identity', '#/witness', '#/settings', '#/partners']) {
    await a.page.goto(`/${screen}`);
    await expect(a.page.getByRole('main')).toBeVisible();
  }
  await a.page.reload();
  await expect(a.page.getByRole('main')).toBeVisible();

  expect(violations).toEqual([]);
  // Every script Chromium fetched from the server came precompressed with brotli (it accepts br),
  // except a chunk so small that brotli would not shrink it (the build then writes no .br).
  expect(encodings.size).toBeGreaterThan(2);
  const plain = [...encodings].filter(([, encoding]) => encoding !== 'br');
  expect(plain.filter(([path, encoding]) => encoding !== 'identity' || existsSync(`app/dist${path}.br`))).toEqual([]);
  expect(plain.length).toBeLessThan(encodings.size / 2);
  await a.context.close();
  await b.context.close();
});
