export * from './records.js';
export * from './contact-store.js';
export * from './memory-stores.js';
export * from './name-search.js';
export * from './backup-format.js';
export * from './rows.js';
export * from './roles.js';
