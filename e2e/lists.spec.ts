import { expect, test, type Page } from '@playwright/test';
import { validateContactInput } from '../shared/dist/index.js';
import { people, seedContacts } from './check-helpers';
import { connect, newOrg } from './harness';
import { importFile, syntheticCsv } from './import-helpers';

test.setTimeout(240_000);

/** Opens the Lists screen and fills the new list's fields; returns the form, members not yet chosen. */
async function newListForm(page: Page, name: string) {
  await page.getByRole('link', { name: 'Lists' }).click();
  const form = page.getByRole('region', { name: 'New distribution list' });
  const fields: [string, string][] = [['List name', name], ['Programme', 'MPCA'], ['Sector', 'Basic needs'], ['Round', 'Round 1'], ['Start date', '2026-12-01'], ['End date', '2027-01-31'], ['Transfer value', '120'], ['Currency', 'USD']];
  for (const [label, value] of fields) await form.getByLabel(label, { exact: true }).fill(value);
  return form;
}

async function createList(page: Page, name: string, count: number): Promise<void> {
  const form = await newListForm(page, name);
  await form.getByRole('button', { name: /^Select all \d+ shown$/ }).click();
  await form.getByRole('button', { name: `Create list with ${count} people` }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** Each member's "who serves" cell, by name, from the open list. */
async function whoServes(page: Page, list: string): Promise<Map<string, string>> {
  const rows = page.getByRole('table', { name: `Members of ${list}` }).getByRole('row');
  await expect(rows.nth(1)).toBeVisible();
  const texts = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return new Map(texts.map(([name, who]) => [name!, who!]));
}

test('[D1][D2][D3][D5] two organisations agree who serves each shared person: one server each, the same on both sides, and nothing else is sent', async ({ browser }) => {
  const shared = people(20, 'S', '1931-01-01');
  const a = await newOrg(browser, 'Org A');
  const b = await newOrg(browser, 'Org B');
  await seedContacts(a.page, [...shared, ...people(10, 'A', '1951-01-01')]);
  await seedContacts(b.page, [...people(12, 'B', '1971-01-01'), ...shared]);
  await createList(a.page, 'Winter A', 30);
  await createList(b.page, 'Winter B', 32);

  await connect(a, b);
  const pairCard = a.page.getByRole('region', { name: 'Who serves whom' });
  await pairCard.getByLabel('Rule').selectOption({ label: 'A fair coin for each shared person' });
  await pairCard.getByRole('button', { name: 'Agree who serves whom with Org B' }).click();
  const proposal = b.page.getByRole('region', { name: 'Org A proposes a distribution list' });
  await expect(proposal).toContainText('"Winter A", MPCA, Round 1: 30 people. Rule: A fair coin for each shared person.');
  await proposal.getByRole('button', { name: 'Bring this list' }).click();

  const agreed = /^Agreed with Org [AB]: of 20 shared people, you serve (\d+) and Org [AB] serves (\d+)\.$/;
  await expect(a.page.getByText(agreed)).toBeVisible({ timeout: 120_000 });
  await expect(b.page.getByText(agreed)).toBeVisible({ timeout: 60_000 });
  const [, aServes, bServesByA] = agreed.exec(await a.page.getByText(agreed).innerText())!;
  const [, bServes, aServesByB] = agreed.exec(await b.page.getByText(agreed).innerText())!;
  expect(Number(aServes) + Number(bServesByA)).toBe(20);
  expect([aServes, bServes]).toEqual([aServesByB, bServesByA]);

  // Every shared person has exactly one server, named the same on both sides; the others are each side's own.
  for (const org of [a, b]) await org.page.getByRole('link', { name: 'Lists' }).click();
  await a.page.getByRole('button', { name: 'Open Winter A' }).click();
  await b.page.getByRole('button', { name: 'Open Winter B' }).click();
  const onA = await whoServes(a.page, 'Winter A');
  const onB = await whoServes(b.page, 'Winter B');
  for (const p of shared) {
    const name = `${p.first} ${p.last}`;
    const [whoA, whoB] = [onA.get(name)!, onB.get(name)!];
    expect([whoA, whoB].filter((w) => w === 'Serve'), name).toHaveLength(1);
    expect(whoA === 'Serve' ? whoB : whoA, name).toMatch(/^Served by Org [AB] \(coin, \d{4}-\d{2}-\d{2}\)$/);
  }
  expect([...onA.values()].filter((w) => w === 'Serve')).toHaveLength(10 + Number(aServes));

  // D5: the audit trail names the pair, the rule and the counts, with both signatures.
  const download = a.page.waitForEvent('download');
  await a.page.getByRole('button', { name: 'Export audit trail (CSV)' }).click();
  let csv = '';
  for await (const chunk of await (await download).createReadStream()) csv += chunk;
  // A UTF-8 byte order mark first, so that spreadsheets read Arabic names (saveFile).
  expect(csv.startsWith('\ufeff')).toBe(true);
  const lines = csv.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('at,kind,list_id,round_id,by,partner,protocol,rule,counts,code,assignment_hash,our_signature,their_signature');
  const pair = lines.find((l) => l.includes(',pair-agreed,'))!;
  expect(pair).toContain(',psi-v2,coin,');
  expect(pair).toContain(`we_serve=${aServes}`);
  expect(pair).toMatch(/,[0-9a-f]{64},[0-9a-f]{128},[0-9a-f]{128}$/);
  for (const p of shared) expect(csv).not.toContain(p.last);
  await a.context.close();
  await b.context.close();
});

test('[D1] a new list takes the members of a previous list, each person once', async ({ browser }) => {
  const a = await newOrg(browser, 'Org A');
  await seedContacts(a.page, people(6, 'P', '1941-01-01'));
  await createList(a.page, 'Autumn', 6);
  const form = a.page.getByRole('region', { name: 'New distribution list' });
  await form.getByLabel('A previous list').selectOption({ label: 'Autumn (Round 1, 6 people)' });
  await form.getByRole('button', { name: 'Add its members' }).click();
  await form.getByRole('button', { name: 'Add its members' }).click();
  await expect(form.getByRole('group', { name: 'Members (6 selected)' })).toBeVisible();
  await expect(form.getByRole('button', { name: 'Create list with 6 people' })).toBeVisible();
  await a.context.close();
});

test('[D1] the people of a real import join a list from the member editor: each once, and nobody else', async ({ browser }) => {
  const a = await newOrg(browser, 'Org A');
  // Contacts typed in before: not in the file, so not on the list.
  const others = people(4, 'T', '1941-01-01');
  await seedContacts(a.page, others);
  const file = syntheticCsv('lists-from-import', 12, 0);
  await importFile(a.page, 'partner-distribution.csv', file.csv, 12);

  const form = await newListForm(a.page, 'From the partner file');
  const source = form.getByRole('combobox', { name: 'An import', exact: true });
  await expect(source.locator('option')).toHaveText([/^partner-distribution\.csv \(\d{4}-\d{2}-\d{2}, 12 people\)$/]);
  const add = form.getByRole('button', { name: 'Add the people of this import' });
  await add.click();
  await expect(form.getByRole('group', { name: 'Members (12 selected)' })).toBeVisible();
  // Added again: nobody twice.
  await add.click();
  await expect(add).toBeEnabled();
  await expect(form.getByRole('group', { name: 'Members (12 selected)' })).toBeVisible();
  await form.getByRole('button', { name: 'Create list with 12 people' }).click();
  await expect(a.page.getByRole('heading', { name: 'From the partner file', level: 2 })).toBeVisible();

  // The list shows exactly the file's people, as the import stored their names.
  const expected = file.people.map((p) => {
    const valid = validateContactInput(p.row, { today: '2026-11-22' });
    if (!valid.ok) throw new Error(`row not valid: ${JSON.stringify(valid.error)}`);
    return `${valid.value.firstName} ${valid.value.lastName}`;
  });
  const rows = a.page.getByRole('table', { name: 'Members of From the partner file' }).getByRole('row');
  await expect(rows).toHaveCount(13);
  const shown = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => tr.querySelector('td')?.textContent ?? ''));
  expect(shown.sort()).toEqual(expected.sort());
  for (const p of others) expect(shown).not.toContain(`${p.first} ${p.last}`);
  await a.context.close();
});
