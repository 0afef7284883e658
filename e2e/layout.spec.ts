import { expect, test, type Page } from '@playwright/test';
import { newOrg } from './harness';

/**
 * #12 at 360 × 740, in English and Arabic: a header that leaves the phone its screen, and a focused
 * field that is never hidden under it (X7), reaching every field of the form by keyboard alone.
 */
async function focusedIsOnTop(page: Page): Promise<{ name: string; visible: boolean; why: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { name: 'body', visible: false, why: 'body' };
    const r = el.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2, r.top + Math.min(r.height / 2, 10)];
    const top = document.elementFromPoint(x, y);
    const inView = r.top >= -1 && r.bottom <= window.innerHeight + 1; // sub-pixel positions
    const why = `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)} top=${top?.tagName}.${top?.className}:${top?.textContent?.slice(0, 20)} sx=${window.scrollX} sy=${window.scrollY}`;
    return { name: el.id || el.getAttribute('aria-label') || el.textContent || el.tagName, visible: inView && !!top && (top === el || el.contains(top)), why };
  });
}

for (const lang of ['en', 'ar'] as const) {
  test(`[X7] ${lang}: the header is compact and not sticky, and Shift+Tab never hides the focus under it`, async ({ browser }) => {
    const org = await newOrg(browser, 'Org Layout');
    const { page } = org;
    if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const header = page.locator('header.topbar');
    const height = (await header.boundingBox())!.height;
    expect(height).toBeLessThanOrEqual(110);

    await page.goto('/#/contacts/new');
    await expect(page.locator('#contact-firstName')).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    // Not sticky: scrolled down, the header has left the screen.
    expect((await header.boundingBox())!.y + height).toBeLessThanOrEqual(0);

    // Keyboard only, backwards from the Save button through every field of the form.
    await page.locator('form button[type="submit"]').focus();
    const seen: string[] = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Shift+Tab');
      // The browser scrolls the focused element into view; poll until it has settled.
      await expect.poll(async () => (await focusedIsOnTop(page)).visible, { message: `focus ${i} is visible`, timeout: 5000 }).toBe(true).catch(async (e) => {
        throw new Error(`${(e as Error).message} ${JSON.stringify(await focusedIsOnTop(page))}`);
      });
      seen.push((await focusedIsOnTop(page)).name);
    }
    for (const id of ['contact-phone', 'contact-householdSize', 'contact-fatherName', 'contact-lastName', 'contact-firstName']) expect(seen).toContain(id);
    await org.context.close();
  });
}
