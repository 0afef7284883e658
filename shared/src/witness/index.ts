// W1–W6, exposure witness (FANNY): tokens, expiry, proximity matching, the peer exchange, alert
// reconciliation, declaration stamps and the server contract. Pure: no DOM, no Node, no clock.
export * from './token.js';
export * from './grid.js';
export * from './reconcile.js';
export * from './peer-messages.js';
export * from './exchange.js';
export * from './session.js';
export * from './stamp.js';
export * from './wire.js';
export * from './rows.js';
