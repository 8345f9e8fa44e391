// @gantry/domain: job specs, states and their transitions, ids, credentials, the error
// taxonomy. Pure: no I/O, no framework.
export * from './errors';
export * from './clock';
export * from './ids';
export * from './gpu-models';
export * from './job-spec';
export * from './job-state';
export * from './reasons';
export * from './records';
export * from './lifecycle';
export * from './canonical';
export * from './credentials';
export * from './dependencies';
export * from './arrays';
export * from './rendezvous';
export * from './submission';
export * from './job-result';
export * from './workloads';
export * from './market';
