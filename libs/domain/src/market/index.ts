// The GPU market (ADR 10): money, leases, the ledger's postings. Pure.
export * from './money';
export * from './lease';
export * from './ledger';
export * from './lease-life';
export * from './prices';
export * from './lease-request';
export * from './bids';
