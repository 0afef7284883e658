import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { connect, newOrg } from './harness';

// Identity inside the peer session (PROTOCOL.md §3.1, version 2): the I8 handshake bound to the
// WebRTC connection, ledger reconciliation (I3), the I6 gate, and I7 attestations between two
// connected browsers, in real Chromium with the real signaling server.

/** Opens the Identity screen by its link (a reload would drop the live connection) and waits for the registration. */
async function registeredFingerprint(page: Page): Promise<string> {
  await page.getByRole('link', { name: 'Identity' }).click();
  await expect(page.getByText('Registered', { exact: true })).toBeVisible({ timeout: 30_000 });
  return (await page.getByLabel('Key fingerprint').textContent())!;
}

test('[I8][I3][I4][I7][A4] two organisations verify each other, see fingerprint and balance, and an attestation shows as a badge', async ({ browser }) => {
  const a = await newOrg(browser, 'Amel Association');
  const b = await newOrg(browser, 'Basmeh & Zeitooneh');
  const fingerprintA = await registeredFingerprint(a.page);
  const fingerprintB = await registeredFingerprint(b.page);

  // The link carries A's fingerprint; B's handshake checks A's key against it.
  await connect(a, b);
  // I9: the link is used up once B is bound, so it is read from where B opened it.
  const link = b.page.url();
  expect(link).toMatch(new RegExp(`#/join/[A-Za-z0-9_-]{43}\\.${fingerprintA.replaceAll(' ', '')}\\.\\d+$`));
  await expect(a.page.getByLabel("Partner's key fingerprint")).toHaveText(fingerprintB);
  await expect(b.page.getByLabel("Partner's key fingerprint")).toHaveText(fingerprintA);

  // Each side's partner card: the fingerprint it verified and the balance from the reconciled ledger.
  await b.page.getByRole('link', { name: 'Identity' }).click();
  const cardOfA = b.page.getByRole('listitem', { name: 'Amel Association' });
  await expect(cardOfA).toContainText(fingerprintA);
  await expect(cardOfA).toContainText('Registered · balance 100');
  await a.page.getByRole('link', { name: 'Identity' }).click();
  const cardOfB = a.page.getByRole('listitem', { name: 'Basmeh & Zeitooneh' });
  await expect(cardOfB).toContainText(fingerprintB);
  await expect(cardOfB).toContainText('Registered · balance 100');

  // I7 over the live session: B asks A to attest its name; A sees the exact value and attests.
  await b.page.getByRole('listitem', { name: 'Amel Association' }).getByRole('button', { name: 'Ask Amel Association to attest our name' }).click();
  const request = a.page.getByRole('listitem', { name: 'Request from Basmeh & Zeitooneh' });
  await expect(request).toContainText('“Basmeh & Zeitooneh”');
  await request.getByRole('button', { name: 'Attest' }).click();
  await expect(b.page.getByRole('region', { name: 'Attestations about us' })).toContainText('organisation-name: “Basmeh & Zeitooneh”');
  await expect(cardOfB.getByLabel('Attestations', { exact: true })).toContainText('organisation-name · verified by us');

  // I7: A asks B to show its attestations; B's user agrees; A verifies the value against the signed hash.
  await cardOfB.getByRole('button', { name: 'Ask Basmeh & Zeitooneh to show its attestations' }).click();
  await b.page.getByRole('listitem', { name: 'Presentation request from Amel Association' }).getByRole('button', { name: 'Show them' }).click();
  await expect(cardOfB.getByLabel('Shown attestations')).toHaveText('organisation-name: “Basmeh & Zeitooneh” · verified, signed by us');

  // A4: B's next check request shows A the verified fingerprint, the balance and the badge.
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await b.page.getByRole('link', { name: 'Partners' }).click();
  await b.page.getByRole('button', { name: 'Check overlap with Amel Association' }).click();
  const prompt = a.page.getByRole('dialog', { name: 'Check request from Basmeh & Zeitooneh' });
  await expect(prompt.getByLabel("Requester's key fingerprint")).toHaveText(fingerprintB);
  await expect(prompt.getByLabel("Requester's balance")).toHaveText('100');
  await expect(prompt.getByLabel("Requester's attestations")).toContainText('organisation-name (verified by us)');
  await prompt.getByRole('button', { name: 'Decline' }).click();

  await a.context.close();
  await b.context.close();
});

test('[I5][I4][I3] a connected, registered partner is challenged on the tick, solves it, and both ledgers credit it', async ({ browser }) => {
  // A ticks every 4 s instead of 120 s; B keeps the real interval, so only A challenges.
  const a = await newOrg(browser, 'Amel Association', { challengeIntervalMs: 4000 });
  const b = await newOrg(browser, 'Basmeh & Zeitooneh');
  await registeredFingerprint(a.page);
  await registeredFingerprint(b.page);
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await b.page.getByRole('link', { name: 'Partners' }).click();
  await connect(a, b);
  await a.page.getByRole('link', { name: 'Identity' }).click();
  await b.page.getByRole('link', { name: 'Identity' }).click();

  // A's tick issues a 14-bit challenge to B, B's workers solve it, the solution reaches A: +10 (I4),
  // the same fold on both ledgers. A was never challenged, so its balance stays at the start value.
  const cardOfB = a.page.getByRole('listitem', { name: 'Basmeh & Zeitooneh' });
  await expect(cardOfB).toContainText(/Registered · balance 1[1-9]0/, { timeout: 30_000 });
  await expect(b.page.getByRole('listitem', { name: 'Amel Association' })).toContainText('Registered · balance 100');
  await expect(b.page.getByLabel('Balance', { exact: true })).toHaveText(/^1[1-9]0$/);
  await a.context.close();
  await b.context.close();
});

test('[I8] a link whose fingerprint is not the inviter\'s stops the session with the plain warning on both sides', async ({ browser }) => {
  const a = await newOrg(browser, 'Amel Association');
  const b = await newOrg(browser, 'Basmeh & Zeitooneh');
  await registeredFingerprint(a.page);
  await registeredFingerprint(b.page);
  await a.page.getByRole('link', { name: 'Partners' }).click();
  await a.page.getByRole('button', { name: 'Create invitation' }).click();
  const link = new URL(await a.page.getByLabel('Invitation link').inputValue());
  // Someone forwarded the secret with another organisation's fingerprint.
  const forged = link.hash.replace(/\.[A-Z2-7]{32}\./, `.${'A'.repeat(32)}.`);
  await b.page.goto(`/${forged}`);
  await expect(b.page.getByRole('alert')).toContainText('Warning: the partner is not the organisation named in the invitation');
  await expect(a.page.getByRole('alert')).toContainText('(identity-mismatch)');
  await expect(a.page.getByRole('heading', { name: /Connected to/ })).toHaveCount(0);
  await a.context.close();
  await b.context.close();
});

test('[I8] an invitation link without the inviter\'s fingerprint is refused', async ({ browser }) => {
  const b = await newOrg(browser, 'Basmeh & Zeitooneh');
  await b.page.goto('/#/join/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
  await expect(b.page.getByRole('alert')).toContainText('This invitation link is not valid.');
  await b.context.close();
});

const SWAP_PORT = 8183;
const swapOrigin = `http://127.0.0.1:${SWAP_PORT}`;

/** The hostile signaling server of e2e/support, a process of its own like update.spec.ts's deployment. */
async function startSwappingServer(): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['e2e/support/swapping-server.mjs'], { env: { ...process.env, PORT: String(SWAP_PORT), STATIC_DIR: 'app/dist' }, stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${swapOrigin}/healthz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error('swapping server did not start');
}

test('[I8] a signaling server that swaps the set-up messages with a third browser\'s cannot pass the handshake', async ({ browser }) => {
  const server = await startSwappingServer();
  try {
    // Mallory: a third browser with two real WebRTC connections, one to each organisation, piped together.
    const mallory = await browser.newContext({ permissions: ['microphone'] });
    const m = await mallory.newPage();
    await m.goto(`${swapOrigin}/mallory`);
    await m.evaluate(() => {
      const socket = (window as unknown as { io(o: object): { emit(e: string, d?: unknown): void; on(e: string, f: (d: never) => void): void } }).io({ path: '/socket.io', transports: ['websocket'] });
      socket.emit('mallory');
      const send = (side: 'A' | 'B', data: unknown) => socket.emit('mallory-signal', { side, data });
      const toB = new RTCPeerConnection({ iceServers: [] }); // answers B's offer as if it were A
      const toA = new RTCPeerConnection({ iceServers: [] }); // offers to A as if it were B
      toB.onicecandidate = (e) => e.candidate && send('B', { type: 'candidate', candidate: e.candidate.toJSON() });
      toA.onicecandidate = (e) => e.candidate && send('A', { type: 'candidate', candidate: e.candidate.toJSON() });
      const pipe = (from: RTCDataChannel, to: () => RTCDataChannel | null, held: string[]) => {
        from.onmessage = (e) => {
          const target = to();
          if (target?.readyState === 'open') target.send(e.data);
          else held.push(e.data);
        };
      };
      const heldForA: string[] = [];
      const heldForB: string[] = [];
      let channelB: RTCDataChannel | null = null;
      const channelA = toA.createDataChannel('relay');
      channelA.onopen = () => heldForA.splice(0).forEach((f) => channelA.send(f));
      pipe(channelA, () => channelB, heldForB);
      toB.ondatachannel = (e) => {
        channelB = e.channel;
        channelB.onopen = () => heldForB.splice(0).forEach((f) => channelB!.send(f));
        pipe(channelB, () => channelA, heldForA);
      };
      type Signal = { type: string; sdp?: string; candidate?: RTCIceCandidateInit };
      let fromB = Promise.resolve();
      let fromA = Promise.resolve();
      socket.on('from-b', (d: Signal) => {
        fromB = fromB.then(async () => {
          if (d.type === 'offer') {
            await toB.setRemoteDescription({ type: 'offer', sdp: d.sdp! });
            await toB.setLocalDescription(await toB.createAnswer());
            send('B', { type: 'answer', sdp: toB.localDescription!.sdp });
          } else if (d.type === 'candidate') await toB.addIceCandidate(d.candidate).catch(() => undefined);
        });
      });
      socket.on('from-a', (d: Signal) => {
        fromA = fromA.then(async () => {
          if (d.type === 'answer') await toA.setRemoteDescription({ type: 'answer', sdp: d.sdp! });
          else if (d.type === 'candidate') await toA.addIceCandidate(d.candidate).catch(() => undefined);
        });
      });
      socket.on('start-a', () => {
        fromA = fromA.then(async () => {
          await toA.setLocalDescription(await toA.createOffer());
          send('A', { type: 'offer', sdp: toA.localDescription!.sdp });
        });
      });
    });

    const a = await newOrg(browser, 'Amel Association', { path: `${swapOrigin}/` });
    const b = await newOrg(browser, 'Basmeh & Zeitooneh', { path: `${swapOrigin}/` });
    await registeredFingerprint(a.page);
    await registeredFingerprint(b.page);
    await a.page.getByRole('link', { name: 'Partners' }).click();
    await a.page.getByRole('button', { name: 'Create invitation' }).click();
    const link = new URL(await a.page.getByLabel('Invitation link').inputValue());
    await b.page.goto(`${swapOrigin}/${link.hash}`);

    // The data channels work (hellos and identity frames cross Mallory), but the signatures name
    // DTLS certificates that are Mallory's on the other side: both users read the plain warning.
    const warning = 'Warning: this connection could not be verified. Someone may be sitting between you and the partner';
    await expect(b.page.getByRole('alert')).toContainText(warning);
    await expect(a.page.getByRole('alert')).toContainText(warning);
    await expect(a.page.getByRole('heading', { name: /Connected to/ })).toHaveCount(0);
    await expect(b.page.getByRole('heading', { name: /Connected to/ })).toHaveCount(0);
    await mallory.close();
    await a.context.close();
    await b.context.close();
  } finally {
    server.kill('SIGTERM');
  }
});
