// @gantry/observability: structured logs (pino) and Prometheus metrics (gantry_ prefix).
export * from './logger';
export * from './metrics';
export * from './nest-logger';
