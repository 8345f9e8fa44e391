/**
 * Inference engines as the policy sees them (ADR 9, "Engines"): a node keeps engines warm on
 * fixed GPU sets, and a job of an engine workload runs on an engine of its model. The agent
 * reuses a warm engine only for the same model and revision on exactly its GPUs, so the policy
 * prefers such a node (engine affinity, docs/scheduling.md).
 */

/** An inference engine a node keeps warm, busy or idle. */
export interface SnapshotEngine {
  /** What it serves: `engineModelKey(model, revision)`. */
  readonly modelKey: string;
  /** The GPUs it runs on: a job reuses it only on exactly these. */
  readonly gpuIndices: readonly number[];
  /** True while a task uses it (it is then never offered to another job). */
  readonly busy: boolean;
}

/**
 * The key that says whether an engine serves what a job wants: its model and weights revision.
 * Unambiguous whatever characters the two hold.
 */
export function engineModelKey(model: string, revision: string): string {
  return JSON.stringify([model, revision]);
}
