// Public API of the Ihyid domain library (shared/dist/index.js). Pure TypeScript: no DOM, no Node.
export * from './result.js';
export * from './ids.js';
export * from './errors.js';
export * from './hex.js';
export * from './room.js';
export * from './contact.js';
