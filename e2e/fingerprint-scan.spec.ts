import { chromium, expect, test } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import qrcode from 'qrcode-generator';
import { connect, newOrg } from './harness';

/**
 * A camera that films a QR code: a YUV4MPEG2 file Chromium plays as its fake capture device
 * (`--use-file-for-fake-video-capture`). Black modules on white, 8 pixels a module, a quiet zone of 4.
 */
function qrVideo(text: string): Buffer {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Alphanumeric');
  qr.make();
  const n = qr.getModuleCount();
  const scale = 8;
  const side = (n + 8) * scale + (((n + 8) * scale) % 2);
  const luma = Buffer.alloc(side * side, 235);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const r = Math.floor(y / scale) - 4;
      const c = Math.floor(x / scale) - 4;
      if (r >= 0 && c >= 0 && r < n && c < n && qr.isDark(r, c)) luma[y * side + x] = 16;
    }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]);
}

test('[I8] B scans the QR code on A\'s Identity screen with its camera and sees that it matches the partner it is connected to; another code is a warning', async ({ browser }, testInfo) => {
  const a = await newOrg(browser, 'Akkar Relief');
  await a.page.getByRole('link', { name: 'Identity' }).click();
  const fingerprint = await a.page.locator('[data-fingerprint]').getAttribute('data-fingerprint');
  expect(fingerprint).toMatch(/^[A-Z2-7]{32}$/);

  // B's browser has a camera that films A's code (the text the Identity screen's QR code carries).
  const dir = await mkdtemp(path.join(tmpdir(), 'ihyid-qr-'));
  const video = path.join(dir, 'a.y4m');
  await writeFile(video, qrVideo(`IHYID:FP:${fingerprint}`));
  const launch = testInfo.project.use.launchOptions ?? {};
  const camera = await chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const b = await newOrg(camera, 'Zahle Relief');
    await b.context.grantPermissions(['camera', 'microphone']);
    await connect(a, b);
    await b.page.getByRole('button', { name: "Scan the partner's code" }).click();
    await expect(b.page.getByText("The code matches: this is Akkar Relief's installation.")).toBeVisible();
    // The camera is off again once the code was read.
    await expect(b.page.getByRole('button', { name: "Scan the partner's code" })).toBeVisible();
    expect(await b.page.locator('video').count()).toBe(0);

    // The camera now films another installation's code (Chromium reopens the file at each capture).
    await writeFile(video, qrVideo(`IHYID:FP:${'A'.repeat(32)}`));
    await b.page.getByRole('button', { name: "Scan the partner's code" }).click();
    await expect(b.page.getByRole('alert').filter({ hasText: 'Warning: the code does not match.' })).toBeVisible();
    await b.context.close();
  } finally {
    await camera.close();
    await rm(dir, { recursive: true, force: true });
  }
  await a.context.close();
});
