import { expect, test } from '@playwright/test';
import { addContacts, newOrg } from './harness';

const frames: [string, string, string][] = [
  ['malformed JSON', '{"type": "check-request", ', 'malformed-message'],
  ['a wrong type', JSON.stringify({ type: 'give-me-everything', please: true }), 'malformed-message'],
  ['an oversized frame', JSON.stringify({ type: 'hello', padding: 'x'.repeat(100_000) }), 'oversized-message'],
  [
    'an out-of-order answer',
    JSON.stringify({ type: 'known-end', checkId: '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4' }),
    'unexpected-message',
  ],
];

for (const [what, frame, code] of frames) {
  test(`[A8] ${what} from a partner ends the session with ${code} on both sides and stores nothing`, async ({ browser }) => {
    const victim = await newOrg(browser, 'Victim Org');
    await addContacts(victim.page, [{ first: 'Houman', last: 'Haddad', father: 'Michael', mother: 'Barbara', born: '1976-05-07' }]);
    await victim.page.getByRole('link', { name: 'Partners' }).click();
    await victim.page.getByRole('button', { name: 'Create invitation' }).click();
    const link = new URL(await victim.page.getByLabel('Invitation link').inputValue());

    // The hostile partner opens the link in a fresh browser: it names itself on first run (I8).
    const mallory = await browser.newContext({ permissions: ['microphone'] });
    await mallory.addInitScript(() => window.localStorage.setItem('ihyid.devtools', '1'));
    const m = await mallory.newPage();
    await m.goto(`/${link.hash}`);
    await m.getByLabel('Organisation name').fill('Mallory Org');
    await m.getByRole('button', { name: 'Continue' }).click();
    await expect(m.getByRole('heading', { name: 'Connected to Victim Org' })).toBeVisible();
    await expect(victim.page.getByRole('heading', { name: 'Connected to Mallory Org' })).toBeVisible();

    await m.evaluate((f) => window.__ihyidDevtools!.sendRaw(f), frame);

    await expect(victim.page.getByRole('alert')).toContainText(`(${code})`);
    await expect(m.getByRole('alert')).toContainText(`Victim Org ended the session because of an error (${code})`);
    const stored = await victim.page.evaluate(async () => {
      const open = indexedDB.open('ihyid');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const count = (store: string) =>
        new Promise<number>((resolve) => {
          const req = db.transaction(store).objectStore(store).count();
          req.onsuccess = () => resolve(req.result);
        });
      return { overlaps: await count('overlaps'), checks: await count('checks') };
    });
    expect(stored).toEqual({ overlaps: 0, checks: 0 });
    await mallory.close();
    await victim.context.close();
  });
}
