// X4: replication among one organisation's devices (PROTOCOL.md, "Sync").
export * from './hlc.js';
export * from './version.js';
export * from './merge.js';
export * from './fingerprint.js';
export * from './reconcile.js';
export * from './messages.js';
export * from './transport.js';
export * from './store.js';
export * from './session.js';
