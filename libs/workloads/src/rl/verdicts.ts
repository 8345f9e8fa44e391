/**
 * RL verdicts (ADR 9: `jobs/<job id>/verdicts/<shard>.jsonl`): one line per answered rollout,
 * written by the verify workers, read back when the dataset is built.
 */
import type { InferenceEndpoint } from '@gantry/domain';
import type { BatchOutputLine } from '../batch/output-lines';
import { completionText } from '../common/engine-answer';
import { readJsonLines, type JsonLines } from '../common/json-lines';
import type { CandidateVerdict, CandidateVerifier } from '../common/verdict';
import type { Problem } from './problems';

/** One verdict line. */
export interface VerdictLine extends CandidateVerdict {
  readonly custom_id: string;
}

/** The verdict line of a rollout. */
export function verdictLine(customId: string, verdict: CandidateVerdict): VerdictLine {
  return {
    custom_id: customId,
    accepted: verdict.accepted,
    score: verdict.score,
    extracted: verdict.extracted,
    detail: verdict.detail,
  };
}

function asVerdictLine(value: unknown): VerdictLine | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Partial<VerdictLine>;
  const ok =
    typeof v.custom_id === 'string' &&
    typeof v.accepted === 'boolean' &&
    typeof v.score === 'number' &&
    (v.extracted === null || typeof v.extracted === 'string') &&
    typeof v.detail === 'string';
  return ok ? (v as VerdictLine) : undefined;
}

/** The verdicts of one verdicts file (a torn last line ignored: that rollout is verified again). */
export function readVerdictLines(lines: Iterable<string>, source: string): JsonLines<VerdictLine> {
  return readJsonLines(lines, source, asVerdictLine);
}

/**
 * The verdict of an answered rollout: its completion text judged by `verifier` against its
 * problem; a completion with no text is rejected without asking the verifier.
 */
export async function verifyRollout(
  line: BatchOutputLine,
  problem: Problem,
  endpoint: InferenceEndpoint,
  verifier: CandidateVerifier,
): Promise<VerdictLine> {
  const text = completionText(endpoint, line.response?.body);
  if (text === null)
    return verdictLine(line.custom_id, {
      accepted: false,
      score: 0,
      extracted: null,
      detail: 'the answer has no completion text',
    });
  return verdictLine(line.custom_id, await verifier.verify(text, problem));
}
