// RL synthetic data (ADR 9): problems, rollout planning, verdicts, the dataset and its figures.
export * from './dataset';
export * from './finish';
export * from './pass-at-k';
export * from './problems';
export * from './rollouts';
export * from './stats';
export * from './verdicts';
