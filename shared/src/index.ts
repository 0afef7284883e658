// Public API of the Ihyid domain library (shared/dist/index.js). Pure TypeScript: no DOM, no Node.
export * from './result.js';
export * from './ids.js';
export * from './errors.js';
export * from './hex.js';
export * from './room.js';
export * from './contact.js';
export * from './random.js';
export * from './channel.js';
export * from './peer-protocol.js';
export * from './peer-session.js';
export * from './overlap-v0.js';
export * from './signaling-protocol.js';
export * from './translit.js';
export * from './soundex.js';
export * from './phonetic-v0.js';
export * from './uscadi-v0.js';
export * from './phone.js';
