#!/usr/bin/env node
// `npm run bench:server` (S7): load test of the signaling server, and of peerjs-server under the same
// load for comparison. Loopback only, bounded in count and time, stops by itself. Prints JSON lines.
//
//   --connections N  clients per server, in rooms (pairs) of two   (default 10000)
//   --rate R         relayed messages per second, all pairs        (default 2000)
//   --seconds S      length of the relay phase                     (default 20)
//   --workers W      load-generator processes                      (default 2)
//   --only ihyid|peerjs
//   --server-node-flags "…"  node flags for Ihyid's server (default: the Dockerfile's; "" for none)
//
// Each server runs as its own process with production settings (Ihyid's defaults: 20 messages/s per
// connection, 16 KiB messages, rooms of two). The clients run in W other processes so that they do not
// share the server's event loop; on a 2-core machine they still compete with it for CPU, which makes
// the figures pessimistic for both servers alike. Every process gets a raised open-file limit
// (`ulimit -n` in the shell that starts it), since 10,000 sockets exceed the usual 1,024.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const flag = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1];
};
const connections = Number(flag('connections', 10_000));
const rate = Number(flag('rate', 2000));
const seconds = Number(flag('seconds', 20));
const workers = Number(flag('workers', 2));
const only = flag('only', undefined);
// The Dockerfile's command line, so that the figures are those of the image an agency runs.
const serverNodeFlags = flag('server-node-flags', '--max-semi-space-size=4 --heap-growing-percent=20').split(' ').filter(Boolean);
const BYTES = 1500;
const NOFILE = Math.max(4096, connections + 2048);
const CONNECT_BUDGET_MS = 180_000;
const HEARTBEAT_MS = 25_000;

if (![connections, rate, seconds, workers].every((n) => Number.isInteger(n) && n > 0) || connections % (2 * workers) !== 0) {
  console.error(`--connections, --rate, --seconds, --workers must be positive integers, connections a multiple of ${2 * workers}`);
  process.exit(2);
}
// Hard bound on the whole run, whatever happens.
const giveUp = setTimeout(() => {
  console.error(JSON.stringify({ bench: 'signaling-server', error: 'timed out' }));
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
}, 2 * (CONNECT_BUDGET_MS + seconds * 1000 + 30_000));
giveUp.unref();

const children = new Set();
/** A process started through `sh -c 'ulimit -n …; exec …'`, so its pid is the program's own. */
function start(command, args, env = {}) {
  const quoted = [command, ...args].map((s) => `'${String(s).replaceAll("'", `'\\''`)}'`).join(' ');
  const script = `ulimit -Hn ${NOFILE} 2>/dev/null; ulimit -n ${NOFILE} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${quoted}`;
  const child = spawn('sh', ['-c', script], { cwd: repo, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const lines = [];
  const waiters = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) waiter(line);
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const waitFor = (test, ms) =>
    new Promise((resolve, reject) => {
      const found = lines.find(test);
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`${command}: no expected line within ${ms} ms; stderr: ${stderr}`)), ms);
      const waiter = (line) => {
        if (!test(line)) return;
        clearTimeout(timer);
        waiters.splice(waiters.indexOf(waiter), 1);
        resolve(line);
      };
      waiters.push(waiter);
      child.once('exit', () => reject(new Error(`${command} exited; stderr: ${stderr}`)));
    });
  return { child, waitFor };
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resident memory (VmRSS) of a process, in MB. */
function rssMB(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Math.round(kb / 102.4) / 10;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);

/** /metrics on the public port needs the bearer token (S8). */
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const scrape = async (port) =>
  (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();

async function serverUnderTest(name) {
  const port = await freePort();
  if (name === 'ihyid') {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'signaling-server'], { cwd: repo, stdio: 'inherit' });
    const server = start(process.execPath, [...serverNodeFlags, 'signaling-server/bin.js'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      STATIC_DIR: path.join(repo, 'app', 'dist'),
      // The load comes from a few loopback addresses, thousands of connections each (S8's cap is per address).
      MAX_CONNECTIONS_PER_IP: String(connections + 100),
      METRICS_TOKEN,
    });
    await server.waitFor((line) => line.includes('"listening"'), 20_000);
    return { ...server, port };
  }
  const server = start(process.execPath, [
    'node_modules/peer/dist/bin/peerjs.js',
    '--port', port, '--host', '127.0.0.1',
    // The default limit of 5,000 clients would refuse half of the load.
    '--concurrent_limit', connections + 100,
  ]);
  await server.waitFor((line) => line.includes('Started PeerServer'), 20_000);
  return { ...server, port };
}

async function run(name, index) {
  // Other work on the machine shows in the latencies: the 1-minute load average says how much there was.
  const loadAverage = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const server = await serverUnderTest(name);
  const pid = server.child.pid;
  const baselineMB = rssMB(pid);
  const pairsPerWorker = connections / 2 / workers;
  const loaders = Array.from({ length: workers }, (_, w) =>
    start(process.execPath, [
      'bench/server/load.mjs',
      JSON.stringify({
        kind: name,
        port: server.port,
        pairs: pairsPerWorker,
        rate: rate / workers,
        seconds,
        bytes: BYTES,
        heartbeatMs: HEARTBEAT_MS,
        // Each worker and run its own loopback source address: 10,000 sockets per run, plus those
        // still in TIME_WAIT from the run before, would otherwise crowd one ephemeral port range.
        localAddress: `127.0.${10 + index}.${1 + w}`,
      }),
    ]),
  );

  let peakMB = baselineMB;
  // BENCH_DEBUG=1 prints an RSS and CPU timeline on stderr.
  const debug = process.env.BENCH_DEBUG === '1';
  const t0 = Date.now();
  const sampler = setInterval(() => {
    const mb = rssMB(pid);
    peakMB = Math.max(peakMB, mb);
    if (debug) console.error(JSON.stringify({ t: (Date.now() - t0) / 1000, rssMB: mb, cpu: cpuSeconds(pid), loaders: loaders.map((l) => cpuSeconds(l.child.pid)) }));
  }, 250);
  const ready = (await Promise.all(loaders.map((l) => l.waitFor((line) => line.includes('"phase":"ready"'), CONNECT_BUDGET_MS)))).map(
    (line) => JSON.parse(line),
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const heldMB = rssMB(pid);
  // What the server itself counts, while every client is connected.
  let serverGauge;
  if (name === 'ihyid') {
    const metrics = await scrape(server.port);
    serverGauge = Number(/^ihyid_signaling_connections (\d+)/m.exec(metrics)?.[1]);
  }
  // Ihyid's server measures its own event-loop lag (prom-client); a scrape resets the histogram.
  const serverLag = async () => {
    if (name !== 'ihyid') return undefined;
    const text = await scrape(server.port);
    const seconds = (metric) => Number(new RegExp(`^${metric} ([0-9.e-]+)`, 'm').exec(text)?.[1]);
    return { p99: Math.round(seconds('nodejs_eventloop_lag_p99_seconds') * 1e5) / 100, max: Math.round(seconds('nodejs_eventloop_lag_max_seconds') * 1e5) / 100 };
  };
  await serverLag();
  const cpuBefore = cpuSeconds(pid);
  for (const loader of loaders) loader.child.stdin.write('go\n');
  const done = (await Promise.all(loaders.map((l) => l.waitFor((line) => line.includes('"phase":"done"'), seconds * 1000 + 60_000)))).map(
    (line) => JSON.parse(line),
  );
  const cpuUsed = cpuSeconds(pid) - cpuBefore;
  const loadAverageAtEnd = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const serverLoopLagMs = await serverLag();
  clearInterval(sampler);

  const latencies = done.flatMap((d) => d.latencies).sort((a, b) => a - b);
  const sent = done.reduce((s, d) => s + d.sent, 0);
  const received = done.reduce((s, d) => s + d.received, 0);
  const errors = {};
  for (const d of done) for (const [code, n] of Object.entries(d.errors)) errors[code] = (errors[code] ?? 0) + n;
  const failureReasons = {};
  for (const r of ready) for (const [why, n] of Object.entries(r.failureReasons)) failureReasons[why] = (failureReasons[why] ?? 0) + n;

  for (const loader of loaders) loader.child.kill('SIGTERM');
  server.child.kill('SIGTERM');
  await Promise.all([server, ...loaders].map(({ child }) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));

  return {
    bench: 'signaling-server',
    server: name === 'ihyid' ? 'ihyid-signaling (socket.io 4)' : 'peerjs-server (peer 1.x)',
    serverCommand:
      name === 'ihyid'
        ? ['node', ...serverNodeFlags, 'signaling-server/bin.js'].join(' ')
        : `node node_modules/peer/dist/bin/peerjs.js --concurrent_limit ${connections + 100}`,
    connections,
    connectionsHeld: done.reduce((s, d) => s + d.open, 0),
    ...(serverGauge === undefined ? {} : { serverGaugeConnections: serverGauge }),
    failedConnections: ready.reduce((s, r) => s + r.failedConnections, 0),
    ...(Object.keys(failureReasons).length > 0 ? { failureReasons } : {}),
    connectSeconds: Math.max(...ready.map((r) => r.connectMs)) / 1000,
    rssMB: { start: baselineMB, holding: heldMB, peak: peakMB },
    rate,
    seconds,
    messageBytes: BYTES,
    sent,
    received,
    dropped: sent - received,
    ...(Object.keys(errors).length > 0 ? { errors } : {}),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
    },
    serverCpuPercent: Math.round((cpuUsed / seconds) * 1000) / 10,
    ...(serverLoopLagMs === undefined ? {} : { serverLoopLagMs }),
    loadGeneratorLoopLagMs: done.map((d) => d.loopLagMs),
    openFilesLimit: NOFILE,
    loadAverageAtStart: loadAverage,
    // Past 2 on this 2-core machine, other work competed with the run and the latencies show it.
    loadAverageAtEnd,
    loadProcesses: workers,
  };
}

const results = {};
for (const [index, name] of ['ihyid', 'peerjs'].entries()) {
  if (only !== undefined && only !== name) continue;
  results[name] = await run(name, index);
  console.log(JSON.stringify(results[name]));
}

if (results.ihyid !== undefined) {
  const ihyid = results.ihyid;
  const peerjs = results.peerjs;
  const targets = {
    connectionsHeld: ihyid.connectionsHeld === connections,
    rssWithin300MB: ihyid.rssMB.peak <= 300,
    p99Within20ms: ihyid.latencyMs.p99 <= 20,
    noDrops: ihyid.dropped === 0,
  };
  const asGoodAsPeerjs =
    peerjs === undefined
      ? undefined
      : {
          connectionsHeld: ihyid.connectionsHeld >= peerjs.connectionsHeld,
          rssPeak: ihyid.rssMB.peak <= peerjs.rssMB.peak,
          p50: ihyid.latencyMs.p50 <= peerjs.latencyMs.p50,
          p99: ihyid.latencyMs.p99 <= peerjs.latencyMs.p99,
          dropped: ihyid.dropped <= peerjs.dropped,
        };
  console.log(JSON.stringify({ bench: 'signaling-server', summary: true, targets, ...(asGoodAsPeerjs ? { asGoodAsPeerjs } : {}) }));
}
process.exit(0);
