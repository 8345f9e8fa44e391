/**
 * Building an RL job's dataset (ADR 9, finalize): join every shard attempt's answers (the first
 * answer per custom_id wins, as in a batch merge) with their verdicts, then finish each problem
 * in file order. Every answered rollout must have a verdict: one missing means the verify step
 * is not done, an InternalError rather than a silently smaller dataset.
 */
import { InternalError } from '@gantry/domain';
import type { BatchOutputLine } from '../batch/output-lines';
import { chooseLines, isAnswer } from '../batch/merge';
import { completionText } from '../common/engine-answer';
import {
  finishProblem,
  type DatasetContext,
  type DatasetLine,
  type RolloutOutcome,
} from './dataset';
import type { Problem } from './problems';
import { rolloutId } from './rollouts';
import { rlStats, type RlStats } from './stats';
import type { VerdictLine } from './verdicts';

export interface RlDataset {
  readonly lines: DatasetLine[];
  readonly stats: RlStats;
}

/** The dataset and figures of a finished RL job. */
export function buildRlDataset(
  problems: readonly Problem[],
  answers: Iterable<BatchOutputLine>,
  verdicts: Iterable<VerdictLine>,
  context: DatasetContext,
): RlDataset {
  const chosen = chooseLines(answers);
  const verdictOf = new Map<string, VerdictLine>();
  for (const v of verdicts) if (!verdictOf.has(v.custom_id)) verdictOf.set(v.custom_id, v);
  const lines: DatasetLine[] = [];
  const tallies = problems.map((problem) => {
    const outcomes = Array.from({ length: context.spec.samplesPerProblem }, (_, k) =>
      outcome(rolloutId(problem.id, k), k, chosen, verdictOf, context),
    );
    const finished = finishProblem(problem, outcomes, context);
    lines.push(...finished.lines);
    return finished.tally;
  });
  return { lines, stats: rlStats(tallies, context.spec.samplesPerProblem) };
}

function outcome(
  customId: string,
  k: number,
  chosen: ReadonlyMap<string, BatchOutputLine>,
  verdictOf: ReadonlyMap<string, VerdictLine>,
  context: DatasetContext,
): RolloutOutcome {
  const line = chosen.get(customId);
  if (!line || !isAnswer(line)) return { k, completion: null, verdict: null };
  const verdict = verdictOf.get(customId);
  if (!verdict) throw new InternalError(`rollout ${customId} was answered but has no verdict`);
  const completion = completionText(context.spec.endpoint, line.response!.body) ?? '';
  return { k, completion, verdict };
}
