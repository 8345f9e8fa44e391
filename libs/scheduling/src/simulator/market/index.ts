// Renters in the trace simulator (issue 5): demand, the renters' market, metering, figures.
export * from './renter-demand';
export * from './renters';
export * from './lease-metering';
export * from './market-figures';
export * from './market-replay';
