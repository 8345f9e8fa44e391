export * from './runtime-estimator';
