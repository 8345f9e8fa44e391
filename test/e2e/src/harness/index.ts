export * from './cluster';
export * from './clients';
export * from './service-process';
export * from './ports';
export * from './wait';
export * from './grpc-probes';
