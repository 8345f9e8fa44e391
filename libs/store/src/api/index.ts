/**
 * What the store offers the control plane. The control plane codes against these interfaces;
 * the Kysely implementations live beside them. Times are epoch milliseconds. Every method that
 * changes jobs applies the pure transitions of @gantry/domain (lifecycle.ts) inside one
 * transaction and appends the history entries they return.
 */
export * from './tenants';
export * from './cycle';
export * from './agents';
export * from './jobs';
export * from './nodes';
export * from './files';
export * from './parents';
export * from './market';
