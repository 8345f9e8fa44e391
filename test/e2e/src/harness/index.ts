export * from './cluster';
export * from './clients';
export * from './service-process';
export * from './grpc-probes';
export { eventually, freePort, isAlive } from '@gantry/testing';
export * from './leases';
