import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

/**
 * The harness later browser tests reuse: one organisation = one browser context (its own IndexedDB),
 * with the media permission Chromium needs before it gathers ICE candidates on loopback.
 */
export interface Org {
  name: string;
  context: BrowserContext;
  page: Page;
}

export async function newOrg(
  browser: Browser,
  name: string,
  options: { path?: string; baseURL?: string; devtools?: boolean; solveBits?: number; challengeIntervalMs?: number; watch?: (context: BrowserContext) => Promise<void> } = {},
): Promise<Org> {
  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 }, ...(options.baseURL && { baseURL: options.baseURL }) });
  // A test that watches the browser (console, CSP reports) attaches before the first load.
  await options.watch?.(context);
  if (options.devtools) await context.addInitScript(() => window.localStorage.setItem('ihyid.devtools', '1'));
  // The registration starts at the first load (I1, I2): a test that wants to watch it raises its work first.
  if (options.solveBits) await context.addInitScript((bits) => window.localStorage.setItem('ihyid.identity.solveBits', String(bits)), options.solveBits);
  if (options.challengeIntervalMs) await context.addInitScript((ms) => window.localStorage.setItem('ihyid.identity.challengeIntervalMs', String(ms)), options.challengeIntervalMs);
  const page = await context.newPage();
  await page.goto(options.path ?? '/');
  await page.getByLabel('Organisation name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(`Ihyid · ${name}`)).toBeVisible();
  return { name, context, page };
}

/**
 * X6: an organisation whose browser asks for Lebanese Arabic, at 360 × 740: the app starts in Arabic
 * without being told, and is set up in Arabic.
 */
export async function newArabicOrg(browser: Browser, name: string): Promise<Org> {
  const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 360, height: 740 }, locale: 'ar-LB' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'مرحبًا بك في إحياء' })).toBeVisible();
  await page.getByLabel('اسم المنظمة').fill(name);
  await page.getByRole('button', { name: 'متابعة' }).click();
  await expect(page.getByRole('navigation', { name: 'القائمة الرئيسية' })).toBeVisible();
  return { name, context, page };
}

export interface Person {
  first: string;
  last: string;
  father?: string;
  mother?: string;
  born: string;
}

export async function addContact(page: Page, p: Person): Promise<void> {
  await page.goto('/#/contacts/new');
  await page.getByLabel('First name', { exact: true }).fill(p.first);
  await page.getByLabel('Last name', { exact: true }).fill(p.last);
  await page.getByLabel("Father's first name").fill(p.father ?? '');
  await page.getByLabel("Mother's first name").fill(p.mother ?? '');
  await page.getByLabel('Date of birth').fill(p.born);
  await page.getByRole('button', { name: 'Save contact' }).click();
}

export async function addContacts(page: Page, people: Person[]): Promise<void> {
  for (const p of people) {
    await addContact(page, p);
    await expect(page.getByRole('status').filter({ hasText: `Saved ${p.first}` })).toBeVisible();
  }
}

/** A waits for B through a fresh invitation; returns once both see each other by name. */
export async function connect(a: Org, b: Org): Promise<void> {
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await a.page.getByRole('button', { name: 'Create invitation' }).click();
  const link = await a.page.getByLabel('Invitation link').inputValue();
  await expect(a.page.getByText('Waiting for your partner to open the link…')).toBeVisible();
  const fragment = new URL(link).hash;
  await b.page.goto(`/${fragment}`);
  await expect(b.page.getByRole('heading', { name: `Connected to ${a.name}` })).toBeVisible();
  await expect(a.page.getByRole('heading', { name: `Connected to ${b.name}` })).toBeVisible();
}

export async function listedContacts(page: Page): Promise<string[]> {
  await page.goto('/#/contacts');
  await expect(page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  return page.getByRole('list').getByRole('link').allInnerTexts();
}

/** X2: on the unlock screen, the passphrase opens the app (a protected device opens its database only now). */
export async function unlock(page: Page, passphrase: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** X2: a passphrase protects the device; the page reloads locked and, unless `locked`, is unlocked again. */
export async function protect(org: Org, passphrase: string, { locked = false } = {}): Promise<void> {
  await org.page.getByRole('link', { name: 'Security' }).click();
  await org.page.getByLabel('New passphrase').fill(passphrase);
  await org.page.getByLabel('Repeat the passphrase').fill(passphrase);
  await org.page.getByRole('button', { name: 'Protect this device' }).click();
  await expect(org.page.getByRole('heading', { name: 'Unlock Ihyid' })).toBeVisible({ timeout: 60_000 });
  if (locked) return;
  await unlock(org.page, passphrase);
  await expect(org.page.getByText(`Ihyid · ${org.name}`)).toBeVisible({ timeout: 60_000 });
}
