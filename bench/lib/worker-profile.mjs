// CPU profiles of every dedicated worker of the browser (CDP, through the browser session:
// Target.attachToTarget without flatten, messages through Target.sendMessageToTarget).
export async function startWorkerProfiles(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const workers = targetInfos.filter((t) => t.type === 'worker');
  let next = 1;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', ({ sessionId, message }) => {
    const m = JSON.parse(message);
    if (m.id && pending.has(`${sessionId}:${m.id}`)) {
      pending.get(`${sessionId}:${m.id}`)(m.result);
      pending.delete(`${sessionId}:${m.id}`);
    }
  });
  const send = (sessionId, method, params = {}) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(`${sessionId}:${id}`, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  const sessions = [];
  for (const w of workers) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false });
    await send(sessionId, 'Profiler.enable');
    await send(sessionId, 'Profiler.setSamplingInterval', { interval: 1000 });
    await send(sessionId, 'Profiler.start');
    sessions.push({ sessionId, url: w.url });
  }
  return async () => {
    const out = [];
    for (const s of sessions) {
      const r = await send(s.sessionId, 'Profiler.stop');
      out.push({ url: s.url, profile: r.profile });
    }
    await cdp.detach();
    return out;
  };
}
