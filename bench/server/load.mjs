// One load-generator process for bench/server.mjs. It opens its share of the clients against one
// server (Ihyid's speaking the Socket.IO protocol, peerjs-server's the PeerJS protocol, both over plain
// `ws` WebSockets), in rooms (or PeerJS pairs) of two, then relays set-up-sized messages at a fixed
// rate and measures each one's relay latency. Both ends of every pair live in this process, so a message's
// send and receive times come from the same clock.
//
// Talks to the orchestrator in JSON lines on stdout; waits for "go" on stdin before sending.
//   argv[2]: JSON {kind, port, pairs, rate, seconds, bytes, localAddress, heartbeatMs}
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';

const options = JSON.parse(process.argv[2]);
const { kind, port, pairs, rate, seconds, bytes, localAddress } = options;
const CONNECT_CONCURRENCY = 200;
const CONNECT_TIMEOUT_MS = 20_000;

const say = (line) => process.stdout.write(JSON.stringify(line) + '\n');
const now = () => performance.now();

// A WebRTC-offer-like payload of about `bytes` bytes: SDP lines, as simple-peer would send.
const SDP_LINE = 'a=candidate:842163049 1 udp 1677729535 192.0.2.10 50000 typ srflx raddr 0.0.0.0 rport 0 generation 0\r\n';
const sdp = ('v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' + SDP_LINE.repeat(40)).slice(0, bytes);

const latencies = [];
const errors = {};
let sent = 0;
let received = 0;
let failedConnections = 0;
const failureReasons = {};
const fail = (reason) => {
  failedConnections++;
  failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
};
const onMessage = (payload) => {
  if (typeof payload?.t !== 'number') return;
  received++;
  latencies.push(Math.round((now() - payload.t) * 100) / 100);
};

// ---------------------------------------------------------------------------------------------
// Ihyid: join a room, signal {roomId, to, data}. The client speaks the Socket.IO wire protocol
// (Engine.IO 4, Socket.IO 5) over a plain `ws` WebSocket, as the peerjs client below speaks PeerJS's:
// the server sees the very frames socket.io-client sends with transports: ['websocket'], while this
// process does the same per-message work for both servers (one WebSocket, one JSON.parse per message)
// instead of socket.io-client's per-socket manager, timers and buffers, which inflated its own
// event-loop lag and so the latencies it measured.

function ihyidClient() {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, { localAddress });
  const acks = new Map();
  let nextAck = 0;
  let connected = false;
  ws.on('message', (raw) => {
    const text = raw.toString();
    switch (text.charCodeAt(0)) {
      case 0x32: // "2": Engine.IO ping; the server closes a client that does not answer.
        ws.send('3');
        return;
      case 0x30: // "0": Engine.IO open; connect to the main namespace.
        ws.send('40');
        return;
      case 0x34: // "4": an Engine.IO message carrying a Socket.IO packet.
        break;
      default:
        return;
    }
    const kind = text.charCodeAt(1);
    if (kind === 0x30) {
      // "40{sid}": connected to the namespace.
      connected = true;
      ws.emit('connected');
    } else if (kind === 0x32) {
      // '42["event",payload]'
      const [event, message] = JSON.parse(text.slice(2));
      if (event === 'signal') onMessage(message?.data);
      else if (event === 'error-message') errors[message?.code ?? 'unknown'] = (errors[message?.code ?? 'unknown'] ?? 0) + 1;
    } else if (kind === 0x33) {
      // '43<id>[reply]'
      const open = text.indexOf('[');
      const id = Number(text.slice(2, open));
      acks.get(id)?.(JSON.parse(text.slice(open))[0]);
      acks.delete(id);
    }
  });
  const client = {
    get connected() {
      return connected && ws.readyState === WebSocket.OPEN;
    },
    emit: (event, payload) => ws.send(`42${JSON.stringify([event, payload])}`),
    emitWithAck: (event, payload) =>
      new Promise((resolve, reject) => {
        const id = nextAck++;
        const timer = setTimeout(() => {
          acks.delete(id);
          reject(new Error('ack timeout'));
        }, CONNECT_TIMEOUT_MS);
        acks.set(id, (reply) => {
          clearTimeout(timer);
          resolve(reply);
        });
        ws.send(`42${id}${JSON.stringify([event, payload])}`);
      }),
    close: () => ws.terminate(),
  };
  ws.on('close', () => (connected = false));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('timeout'));
    }, CONNECT_TIMEOUT_MS);
    // Kept for the socket's life: an 'error' event without a listener would end this process.
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
  });
}

async function ihyidPair() {
  const roomId = randomBytes(32).toString('hex');
  const a = await ihyidClient();
  const b = await ihyidClient().catch((error) => {
    a.close();
    throw error;
  });
  const joinA = await a.emitWithAck('join', { roomId, version: 1 });
  const joinB = await b.emitWithAck('join', { roomId, version: 1 });
  if (!joinA.ok || !joinB.ok) throw new Error(`join-${joinA.code ?? joinB.code}`);
  const send = (from, to, type) => {
    from.emit('signal', { roomId, to, data: { type, sdp, t: now() } });
  };
  return {
    open: () => (a.connected ? 1 : 0) + (b.connected ? 1 : 0),
    forward: (type) => send(a, joinB.self, type),
    back: (type) => send(b, joinA.self, type),
    close: () => {
      a.close();
      b.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// peerjs-server: one WebSocket per peer at /peerjs?key&id&token, messages {type, dst, payload}.

function peerjsClient(id) {
  const token = randomBytes(8).toString('hex');
  const ws = new WebSocket(`ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${id}&token=${token}`, { localAddress });
  ws.on('message', (raw) => {
    let message;
    try {
      message = JSON.parse(raw.toString());
    } catch {
      return;
    }
    if (message.type === 'OFFER' || message.type === 'ANSWER' || message.type === 'CANDIDATE') onMessage(message.payload);
    else if (message.type === 'ERROR' || message.type === 'EXPIRE' || message.type === 'ID-TAKEN') {
      errors[message.type] = (errors[message.type] ?? 0) + 1;
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), CONNECT_TIMEOUT_MS);
    ws.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('message', function opened(raw) {
      if (!raw.toString().includes('"OPEN"')) return;
      clearTimeout(timer);
      ws.off('message', opened);
      resolve(ws);
    });
  });
}

async function peerjsPair() {
  const [idA, idB] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
  const a = await peerjsClient(idA);
  const b = await peerjsClient(idB).catch((error) => {
    a.terminate();
    throw error;
  });
  const send = (from, dst, type) => {
    from.send(JSON.stringify({ type, dst, payload: { type: type.toLowerCase(), sdp, t: now() } }));
  };
  // PeerJS clients must send HEARTBEAT or be dropped after alive_timeout; at Socket.IO's ping cadence.
  const heartbeat = setInterval(() => {
    for (const ws of [a, b]) if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"HEARTBEAT"}');
  }, options.heartbeatMs);
  return {
    open: () => (a.readyState === WebSocket.OPEN ? 1 : 0) + (b.readyState === WebSocket.OPEN ? 1 : 0),
    forward: (type) => send(a, idB, type.toUpperCase()),
    back: (type) => send(b, idA, type.toUpperCase()),
    close: () => {
      clearInterval(heartbeat);
      a.terminate();
      b.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------

async function connectAll() {
  const makePair = kind === 'ihyid' ? ihyidPair : peerjsPair;
  const ready = [];
  let next = 0;
  const started = now();
  const lane = async () => {
    while (next < pairs) {
      next++;
      try {
        ready.push(await makePair());
      } catch (error) {
        fail(String(error?.message ?? error).slice(0, 60));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, pairs) }, lane));
  return { ready, connectMs: Math.round(now() - started) };
}

/** Sends `rate` messages a second for `seconds`, spread over the pairs, in 10 ms ticks. */
function load(ready) {
  const types = ['offer', 'answer', 'candidate'];
  let cursor = 0;
  let owed = 0;
  let last = now();
  const end = last + seconds * 1000;
  return new Promise((resolve) => {
    const tick = setInterval(() => {
      const t = now();
      owed += ((Math.min(t, end) - last) / 1000) * rate;
      last = t;
      for (; owed >= 1 && ready.length > 0; owed--) {
        const pair = ready[cursor++ % ready.length];
        const type = types[sent % 3];
        if (sent % 2 === 0) pair.forward(type);
        else pair.back(type);
        sent++;
      }
      if (t >= end) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
}

const { ready, connectMs } = await connectAll();
say({ phase: 'ready', connected: ready.length * 2, failedConnections, failureReasons, connectMs });

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line.trim() !== 'go') continue;
  // This process's own stalls add to the latencies it measures; it reports them so they can be told apart.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  await load(ready);
  // Stragglers: anything not relayed within 3 s counts as dropped.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const open = ready.reduce((sum, pair) => sum + pair.open(), 0);
  latencies.sort((x, y) => x - y);
  lag.disable();
  const loopLagMs = { p99: Math.round(lag.percentile(99) / 1e4) / 100, max: Math.round(lag.max / 1e4) / 100 };
  say({ phase: 'done', sent, received, errors, open, loopLagMs, latencies });
  break;
}
for (const pair of ready) pair.close();
process.exit(0);
