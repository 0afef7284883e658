// D1–D5: distribution lists and who serves whom (PROTOCOL.md §7).
export * from './list.js';
export * from './assignment.js';
export * from './summary.js';
export * from './round.js';
export * from './pair.js';
export * from './audit.js';
export * from './messages.js';
export * from './negotiation.js';
