// A hostile signaling server for the I8 test (e2e/identity-session.spec.ts): it serves the built app
// like the real one, but never lets the two organisations of a room reach each other. The set-up
// messages of the newcomer (B) go to a third browser, Mallory, which answers them as if it were the
// first (A), and Mallory's own offer reaches A as if it came from B. Mallory then pipes the data
// channels into each other, frame by frame: the server sits in the middle of a working connection.
// Only the identity handshake can notice, because each side's DTLS certificate is now Mallory's.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';

const port = Number(process.env.PORT ?? 8183);
const staticDir = process.env.STATIC_DIR ?? 'app/dist';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.wasm': 'application/wasm', '.ico': 'image/x-icon' };

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/healthz') return res.end('ok');
  if (url.pathname === '/mallory') {
    res.setHeader('content-type', 'text/html');
    return res.end('<!doctype html><title>Mallory</title><script src="/socket.io/socket.io.js"></script>');
  }
  let file = join(staticDir, normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html');
  res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
  createReadStream(file).pipe(res);
});

const io = new Server(http, { path: '/socket.io', serveClient: true });
/** roomId → { a, b }: the first and second app sockets of the room. */
const rooms = new Map();
let mallory = null;
const peerId = () => randomBytes(16).toString('hex');

io.on('connection', (socket) => {
  socket.data.peer = peerId();
  socket.on('mallory', () => {
    mallory = socket;
    // Mallory → the server: `side` names whom the message is for; it always seems to come from the other one.
    socket.on('mallory-signal', ({ side, data }) => {
      for (const [roomId, room] of rooms) {
        const to = side === 'A' ? room.a : room.b;
        const from = side === 'A' ? room.b : room.a;
        if (to && from) to.emit('signal', { roomId, from: from.data.peer, data });
      }
    });
  });
  socket.on('join', ({ roomId }, ack) => {
    const room = rooms.get(roomId) ?? {};
    rooms.set(roomId, room);
    const peers = room.a ? [room.a.data.peer] : [];
    if (!room.a) room.a = socket;
    else room.b = socket;
    ack?.({ ok: true, self: socket.data.peer, peers, iceServers: [] });
    if (room.b === socket) room.a.emit('peer-joined', { roomId, peer: socket.data.peer });
    // Mallory starts its own connection to A as soon as B arrives: it offers, A answers.
    if (room.b === socket) mallory?.emit('start-a');
  });
  socket.on('signal', ({ data }) => {
    for (const room of rooms.values()) {
      if (room.b === socket) mallory?.emit('from-b', data);
      if (room.a === socket) mallory?.emit('from-a', data);
    }
  });
  socket.on('leave', () => undefined);
});

http.listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  io.close();
  http.close(() => process.exit(0));
});
