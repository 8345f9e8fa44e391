/**
 * The policies the simulator and benchmarks can run, by name. Each entry makes a fresh policy
 * (a policy may keep per-run caches; decisions stay pure functions of the snapshot).
 */
import type { SchedulingPolicy } from '../model';
import { createFifoPolicy, FIFO_POLICY_NAME } from './fifo';
import { gantryPolicy } from './gantry';

export const POLICIES: Readonly<Record<string, () => SchedulingPolicy>> = {
  [FIFO_POLICY_NAME]: createFifoPolicy,
  [gantryPolicy.name]: () => gantryPolicy,
};

/** The baseline every report compares against. */
export const BASELINE_POLICY = FIFO_POLICY_NAME;

export function policyNames(): string[] {
  return Object.keys(POLICIES);
}

/** A fresh policy by name; the message lists the known ones. */
export function createPolicy(name: string): SchedulingPolicy {
  const make = Object.hasOwn(POLICIES, name) ? POLICIES[name] : undefined;
  if (!make) throw new RangeError(`unknown policy '${name}' (known: ${policyNames().join(', ')})`);
  return make();
}

export { createFifoPolicy, decideFifo, FIFO_POLICY_NAME } from './fifo';
export { gantryPolicy } from './gantry';
