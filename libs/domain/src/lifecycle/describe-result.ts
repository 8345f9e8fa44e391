import type { JobResult } from '../job-result';

/** One line for people about a job's result (the history entry of a task's result report). */
export function describeResult(result: JobResult): string {
  switch (result.kind) {
    case 'reasoning': {
      const answer = result.answer === null ? 'no answer' : `answer ${result.answer}`;
      const verdict =
        result.accepted === null ? '' : result.accepted ? ' (accepted)' : ' (not accepted)';
      const saved = result.callsSavedCache + result.callsSavedInflight;
      const stop = result.stopReason ? `; stopped: ${result.stopReason}` : '';
      return `${answer}${verdict}; ${result.callsMade} engine calls, ${saved} saved by deduplication${stop}`;
    }
    case 'batch': {
      const c = result.requestCounts;
      return `batch ${result.status}: ${c.completed} of ${c.total} requests answered, ${c.failed} failed`;
    }
    case 'rl_synthetic':
      return `rl ${result.status}: ${result.kept} traces kept of ${result.samples} samples, pass@1 ${result.passAt1.toFixed(3)}`;
  }
}
