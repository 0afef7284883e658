// A CPU profile of a page's main thread over one step of a benchmark (Chrome DevTools Protocol), and
// its summary by original source position: the build keeps hidden source maps in app/dist/assets, so
// a minified frame is named by the file and function it came from. Used by bench:sync --profile.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { root } from './two-orgs.mjs';

export async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return async (file) => {
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach();
    if (file) writeFileSync(file, JSON.stringify(profile));
    return profile;
  };
}

const maps = new Map();
function traceOf(url) {
  if (!maps.has(url)) {
    const path = `${root}/app/dist${new URL(url).pathname}.map`;
    maps.set(url, existsSync(path) ? new TraceMap(readFileSync(path, 'utf8')) : null);
  }
  return maps.get(url);
}

/** Where a frame came from: `source:line name` (the source map's name when it has one). */
function nameOf(frame) {
  if (!frame.url || frame.lineNumber < 0) return frame.functionName || '(native)';
  const map = traceOf(frame.url);
  if (!map) return `${frame.url.split('/').pop()} ${frame.functionName}`;
  const pos = originalPositionFor(map, { line: frame.lineNumber + 1, column: frame.columnNumber });
  const source = (pos.source ?? '?').replace(/^.*?(app\/src|shared\/src|node_modules)\//, '$1/');
  return `${source}:${pos.line} ${frame.functionName || pos.name || '(anon)'}`;
}

/** The `top` frames by self time and by total time (a frame's time with everything it called), in ms. */
export function summarise(profile, top = 25) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const total = new Map();
  const dts = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const dt = (dts[i + 1] ?? 0) / 1000;
    const leaf = nameOf(byId.get(id).callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at).callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  });
  const rank = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${Math.round(ms).toString().padStart(7)}  ${name}`);
  return { self: rank(self), total: rank(total) };
}
