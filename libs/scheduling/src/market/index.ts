// The GPU market's pure policy (ADR 10): figures from the snapshot, prices, offers.
export * from './figures';
export * from './pricing';
export * from './sellable';
export * from './offers';
export * from './availability';
export * from './outbid';
export { marketTierOf } from './market-queues';
