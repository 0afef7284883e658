import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { E2E_METRICS_TOKEN } from './support/metrics-token';

/**
 * Helpers for the exposure witness tests (W1–W6): a device is a browser context with the media
 * permission WebRTC needs on loopback, the geolocation permission, and an emulated position.
 */
export interface Position {
  latitude: number;
  longitude: number;
}

export interface Device {
  name: string;
  context: BrowserContext;
  page: Page;
}

const METRES_PER_DEGREE = (Math.PI / 180) * 6_371_008.8;

/** A position `east` and `north` metres from `from`. */
export function offset(from: Position, east: number, north = 0): Position {
  return {
    latitude: from.latitude + north / METRES_PER_DEGREE,
    longitude: from.longitude + east / (METRES_PER_DEGREE * Math.cos((from.latitude * Math.PI) / 180)),
  };
}

export async function newDevice(browser: Browser, name: string, geolocation: Position): Promise<Device> {
  const context = await browser.newContext({
    permissions: ['microphone', 'geolocation'],
    geolocation,
    viewport: { width: 360, height: 740 },
  });
  await installStoreReader(context);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Organisation name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(`Ihyid · ${name}`)).toBeVisible();
  return { name, context, page };
}

/** Opens the witness screen through the navigation and turns witness mode on, with consent. */
export async function turnOnWitness(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Witness/ }).click();
  await expect(page.getByRole('heading', { name: 'Exposure witness' })).toBeVisible();
  await page.getByLabel('I agree to share my position while witness mode is on').check();
  await page.getByRole('button', { name: 'Turn on witness mode' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Witness mode is on.' })).toBeVisible();
}

/** The witness tokens this device holds, read from its own IndexedDB database, sorted (on a device without a passphrase a row's key is its token). */
export function witnessTokens(page: Page): Promise<string[]> {
  return page.evaluate(() => readStore('ihyid-witness', 'ownTokens'));
}

/** Everything the device keeps in the witness database and web storage, as text (W1 checks). */
export function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const stores = ['ownTokens', 'heldAlerts', 'exposureDays'];
    const rows = await Promise.all(stores.map((s) => readStore('ihyid-witness', s, true)));
    return JSON.stringify({ rows, local: { ...localStorage }, session: { ...sessionStorage } });
  });
}

/** A metric from the server's /metrics text (the e2e server runs with E2E_METRICS_TOKEN, S8). */
export async function metric(baseURL: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseURL}/metrics`, { headers: { authorization: `Bearer ${E2E_METRICS_TOKEN}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? Number.NaN : Number(line.split(' ')[1]);
}

/** Today as the witness screen writes a day (W6: the day, not the hour), in the page's own locale and zone. */
export function todayAsShown(page: Page): Promise<string> {
  return page.evaluate(() => {
    const now = new Date();
    const day = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
    return new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(day);
  });
}

declare global {
  function readStore(db: string, store: string, values?: boolean): Promise<string[]>;
}

/** Installs `readStore` in every page of the context: keys (or values) of one object store, sorted. */
async function installStoreReader(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    (globalThis as unknown as { readStore: typeof readStore }).readStore = (name, store, values = false) =>
      new Promise((resolve, reject) => {
        // Opened without a version, so an existing database is read as it is, never upgraded.
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(store)) {
            db.close();
            return resolve([]);
          }
          const os = db.transaction(store).objectStore(store);
          const request = values ? os.getAll() : os.getAllKeys();
          request.onsuccess = () => {
            db.close();
            resolve((request.result as unknown[]).map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).sort());
          };
          request.onerror = () => reject(request.error);
        };
      });
  });
}
