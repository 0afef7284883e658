// The identity library (I1–I8): pure functions and state machines over an abstract port.
export * from './constants.js';
export * from './errors.js';
export * from './keys.js';
export * from './events.js';
export * from './ledger.js';
export * from './reputation.js';
export * from './challenges.js';
export * from './gating.js';
export * from './attestations.js';
export * from './attestation-flow.js';
export * from './messages.js';
export * from './port.js';
export * from './handshake.js';
export * from './reconcile.js';
export * from './registration.js';
export * from './devices.js';
export * from './revocation.js';
