// @gantry/scheduling: pure scheduling policy over an immutable snapshot (no I/O, clock injected
// through the snapshot). The live scheduler, the tests and the simulator share it.
export * from './model';
export * from './policies';
export * from './estimates';
export * from './simulator';
export * from './market';
