/**
 * The trace simulator's public face (re-exported by @gantry/scheduling beside the policies and
 * the runtime estimator it uses). See docs/simulator.md.
 */
export * from './trace/trace-job';
export * from './trace/parsers';
export * from './cluster/cluster-spec';
export * from './cluster/build-nodes';
export * from './workload/assignment';
export * from './workload/queues';
export * from './workload/workload';
export * from './engine/types';
export * from './engine/engine';
export { PolicyViolationError, PreemptionStormError } from './engine/apply-decision';
export * from './metrics/stats';
export * from './metrics/metrics';
export * from './report/figure-specs';
export * from './report/text-report';
export * from './report/json-report';
export * from './report/html-report';
export * from './report/market-report';
export * from './prng';
export * from './market';
export * from './simulate';
