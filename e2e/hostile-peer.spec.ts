import { expect, test } from '@playwright/test';
import { people, seedContacts, storedCounts } from './check-helpers';
import { connect, newOrg } from './harness';

test.setTimeout(180_000);

const frames: [string, string, string][] = [
  ['malformed JSON', '{"type": "check-request", ', 'malformed-message'],
  ['a wrong type', JSON.stringify({ type: 'give-me-everything', please: true }), 'malformed-message'],
  ['an oversized frame', JSON.stringify({ type: 'hello', padding: 'x'.repeat(100_000) }), 'oversized-message'],
  ['an answer to another check', JSON.stringify({ type: 'known-end', checkId: '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4' }), 'unexpected-message'],
];

for (const [what, frame, code] of frames) {
  test(`[A8] ${what} from a partner in the middle of a running check ends the session with ${code} on both sides and stores nothing`, async ({ browser }) => {
    const victim = await newOrg(browser, 'Victim Org');
    await seedContacts(victim.page, people(300, 'V', '1940-01-01'));
    const mallory = await newOrg(browser, 'Mallory Org', { devtools: true });
    await connect(victim, mallory);

    // Mallory asks for an ordinary psi-v2 check, then stalls: its client sends nothing more of the
    // check, so the victim, having accepted, waits for Mallory's first round (A10: the asker leads).
    // The check is running, and cannot finish, when the hostile frame lands.
    await mallory.page.getByRole('button', { name: 'Check overlap with Victim Org' }).click();
    await expect(victim.page.getByRole('dialog', { name: 'Check request from Mallory Org' })).toBeVisible();
    await mallory.page.evaluate(() => window.__ihyidDevtools!.hold());
    await victim.page.getByRole('dialog', { name: 'Check request from Mallory Org' }).getByRole('button', { name: 'Accept' }).click();
    await expect(victim.page.getByRole('button', { name: 'Cancel check' })).toBeVisible();

    await mallory.page.evaluate((f) => window.__ihyidDevtools!.sendRaw(f), frame);

    await expect(victim.page.getByRole('alert')).toContainText(`(${code})`);
    await expect(mallory.page.getByRole('alert')).toContainText(`Victim Org ended the session because of an error (${code})`);
    expect(await storedCounts(victim.page)).toEqual({ overlaps: 0, checks: 0 });
    await mallory.context.close();
    await victim.context.close();
  });
}
