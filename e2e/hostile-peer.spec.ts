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
    // Enough contacts that the victim is still preparing its list when the frame lands: the check
    // cannot have finished by then (were it over, a check would be stored and the last line fails).
    await seedContacts(victim.page, people(3000, 'V', '1940-01-01'));
    const mallory = await newOrg(browser, 'Mallory Org', { devtools: true });
    await connect(victim, mallory);

    // Mallory asks for an ordinary psi-v2 check; the victim accepts; the check runs.
    await mallory.page.getByRole('button', { name: 'Check overlap with Victim Org' }).click();
    await victim.page.getByRole('dialog', { name: 'Check request from Mallory Org' }).getByRole('button', { name: 'Accept' }).click();
    await expect(victim.page.getByText(/Preparing anonymised list \(\d+ of \d+\)/)).toBeVisible();

    await mallory.page.evaluate((f) => window.__ihyidDevtools!.sendRaw(f), frame);

    await expect(victim.page.getByRole('alert')).toContainText(`(${code})`);
    await expect(mallory.page.getByRole('alert')).toContainText(`Victim Org ended the session because of an error (${code})`);
    expect(await storedCounts(victim.page)).toEqual({ overlaps: 0, checks: 0 });
    await mallory.context.close();
    await victim.context.close();
  });
}
