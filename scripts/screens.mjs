// Screenshots for docs/screens/ (#12): the main screens at 360 × 740 in English and Arabic, from a
// built app. Run by hand, never by npm test:
//   node scripts/screens.mjs [--dist app/dist] [--label after]
// `--dist` may point at an older build (for "before" pictures); the real signaling server serves it.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isolateOrContinue, launch, parseArgs } from '../bench/lib/two-orgs.mjs';

isolateOrContinue();
const args = parseArgs({ dist: 'app/dist', label: 'after', port: 8191 });
const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}docs/screens`;
mkdirSync(out, { recursive: true });

const server = spawn(process.execPath, ['signaling-server/bin.js'], {
  cwd: root,
  env: { ...process.env, PORT: String(args.port), HOST: '127.0.0.1', STATIC_DIR: args.dist, LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const base = `http://127.0.0.1:${args.port}`;
let browser;
try {
  for (let i = 0; i < 100 && !(await fetch(`${base}/healthz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  browser = await launch();
  for (const locale of ['en-US', 'ar-LB']) {
    const lang = locale.slice(0, 2);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale, baseURL: base, permissions: ['microphone'] });
    const page = await context.newPage();
    const shot = async (name) => {
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${out}/${args.label}-${lang}-${name}.png` });
      console.log(JSON.stringify({ screen: `${args.label}-${lang}-${name}.png` }));
    };
    await page.goto('/');
    await page.locator('#org-name').waitFor();
    await shot('first-run');
    await page.locator('#org-name').fill(lang === 'ar' ? 'جمعية الأمل' : 'Amel Association');
    await page.locator('form button[type="submit"]').click();
    await page.locator('header').waitFor();
    // Two people alike, so the list and the duplicate warning have something to show.
    const person = lang === 'ar' ? ['فاطمة', 'الخوري', 'زينب', '70123456'] : ['Fatima', 'Khoury', 'Zeinab', '70123456'];
    for (let i = 0; i < 2; i++) {
      await page.goto('/#/contacts/new');
      await page.locator('#contact-firstName').fill(person[0]);
      await page.locator('#contact-lastName').fill(person[1]);
      await page.locator('#contact-motherName').fill(person[2]);
      await page.locator('#contact-birthDate').fill('1985-03-12');
      await page.locator('#contact-phone').fill(person[3]);
      await page.locator('form button[type="submit"]').click();
      if (i === 0) await page.waitForURL(/#\/contacts$/);
    }
    await page.locator('.warning').waitFor();
    await page.locator('.warning').scrollIntoViewIfNeeded();
    await shot('duplicate-warning');
    await page.goto('/#/contacts');
    await page.locator('main h1').waitFor();
    await shot('contacts');
    for (const screen of ['partners', 'identity', 'import']) {
      await page.goto(`/#/${screen}`);
      await page.locator('main h1').waitFor();
      await shot(screen);
    }
    await context.close();
  }
} finally {
  await browser?.close();
  server.kill('SIGTERM');
}
