// @gantry/grpc: gRPC plumbing shared by the control plane, the node agent and the CLI: servers
// with health and reflection, handler adapters, the status mapping, and client helpers.
export * from './errors';
export * from './handlers';
export * from './metadata';
export * from './server';
export * from './client';
export * from './malformed';
export * from './job-spec.mapper';
export * from './workload.mapper';
export * from './result.mapper';
export * from './json-bridge';
