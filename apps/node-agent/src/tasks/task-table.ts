import { FailedPreconditionError } from '@gantry/domain';
import type { TaskAttemptRef } from '@gantry/workers';
import type { TaskEntry, TaskSnapshot } from './task-entry';

/**
 * The supervisor's bookkeeping: the current attempt of each task id, the attempts whose
 * processes may still run (a replaced attempt stays here until it has stopped), and a bounded
 * memory of ended attempts so that a repeated RunTask is still answered from memory.
 */
export class TaskTable {
  private readonly current = new Map<string, TaskEntry>();
  private readonly live = new Set<TaskEntry>();
  private readonly ended: TaskEntry[] = [];

  constructor(private readonly retainEnded: number) {}

  currentOf(taskId: string): TaskEntry | undefined {
    return this.current.get(taskId);
  }

  /** The live attempt `ref` names, current or replaced. */
  liveAttempt(ref: TaskAttemptRef): TaskEntry | undefined {
    return [...this.live].find((e) => e.ref.taskId === ref.taskId && e.ref.attempt === ref.attempt);
  }

  liveEntries(): TaskEntry[] {
    return [...this.live];
  }

  /** The live renter tasks running in a lease. */
  inLease(leaseId: string): TaskEntry[] {
    return [...this.live].filter((e) => e.lease.in === leaseId);
  }

  /** Makes `entry` its task's current attempt. */
  add(entry: TaskEntry): void {
    this.current.set(entry.ref.taskId, entry);
    this.live.add(entry);
  }

  /** Records that an attempt ended; forgets the oldest ended attempts beyond the memory. */
  markEnded(entry: TaskEntry): void {
    this.live.delete(entry);
    this.ended.push(entry);
    while (this.ended.length > this.retainEnded) {
      const old = this.ended.shift()!;
      if (this.current.get(old.ref.taskId) === old) this.current.delete(old.ref.taskId);
    }
  }

  /**
   * Throws FAILED_PRECONDITION when another task's live attempt holds one of the GPUs. A renter's
   * task in a lease shares its GPUs with that lease's holder (ADR 10), and only with it.
   */
  checkGpusFree(
    taskId: string,
    gpuIndices: readonly number[],
    lease: { readonly in?: string; readonly holds?: string } = {},
  ): void {
    for (const other of this.live) {
      if (other.ref.taskId === taskId) continue; // the attempt it replaces
      const sameLease =
        (lease.in !== undefined && other.lease.holds === lease.in) ||
        (lease.holds !== undefined && other.lease.in === lease.holds);
      if (sameLease) continue;
      const shared = gpuIndices.find((i) => other.gpuIndices.includes(i));
      if (shared !== undefined)
        throw new FailedPreconditionError(
          `gpu_indices: GPU ${shared} is in use by ${other.describe()} on this node`,
        );
    }
  }

  /** Live attempts, and ended current ones for which `reportEnded` says yes. */
  snapshots(reportEnded: (entry: TaskEntry) => boolean): TaskSnapshot[] {
    const reported = new Set(this.live);
    for (const entry of this.current.values())
      if (!entry.live && reportEnded(entry)) reported.add(entry);
    return [...reported].map((e) => e.snapshot());
  }
}
