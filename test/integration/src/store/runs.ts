/** Agent reports for store tests: a placed attempt starts, reports, and exits. */
import type { TaskReport } from '@gantry/domain';
import type { NodeRecord } from '@gantry/store';
import type { StoreHarness } from './harness';

/** Applies one report (the clock moves 1 s first); throws when it is rejected. */
export async function report(
  store: StoreHarness,
  node: NodeRecord,
  jobId: string,
  attempt: number,
  sequence: number,
  taskReport: TaskReport,
): Promise<void> {
  const { outcomes } = await store.jobs.applyTaskEvents(
    node.id,
    [{ jobId, attempt, rank: 0, sequence, report: taskReport }],
    store.clock.advance(1000),
    3,
  );
  if (!outcomes[0]?.accepted) throw new Error(`report rejected: ${outcomes[0]?.message}`);
}

export function started(
  store: StoreHarness,
  node: NodeRecord,
  jobId: string,
  attempt = 1,
): Promise<void> {
  return report(store, node, jobId, attempt, 1, { type: 'started', backend: 'simulated' });
}

/** The attempt exits (sequence 9): 0 succeeds, another code fails, SIGTERM after a stop order. */
export function exited(
  store: StoreHarness,
  node: NodeRecord,
  jobId: string,
  attempt: number,
  exitCode: number,
  signal = '',
): Promise<void> {
  return report(store, node, jobId, attempt, 9, {
    type: 'exited',
    exitCode,
    signal,
    reason: '',
    message: '',
  });
}
