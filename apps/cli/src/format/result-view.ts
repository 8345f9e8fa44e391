import {
  type BatchResult,
  type Job,
  type ReasoningResult,
  type ReasoningStepResult,
  type RlSyntheticResult,
} from '@gantry/proto';
import { renderFields, renderTable } from './table';

/** How a file of a result is shown: its id (`get`) or where it was saved (`results`). */
export type FileLabel = (fileId: string) => string;

const byId: FileLabel = (id) => id;

/** `1,000`. */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `51.5%`. */
function percentOf(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Validation errors of a batch or RL input, the first few of them. */
function errorLines(errors: readonly string[]): string {
  if (errors.length === 0) return '';
  const shown = errors.slice(0, 5).join('; ');
  return errors.length > 5 ? `${shown}; ... (${errors.length} in all)` : shown;
}

function requests(counts: { total: number; completed: number; failed: number } | undefined) {
  if (!counts) return '';
  return `${count(counts.total)} total, ${count(counts.completed)} completed, ${count(counts.failed)} failed`;
}

/** A batch job's status, request counts, expiry and files. */
export function batchFields(result: BatchResult, file: FileLabel = byId): [string, string][] {
  return [
    ['Status', result.status],
    ['Requests', requests(result.requestCounts)],
    ['Expires', result.expiresAt?.toISOString() ?? ''],
    ['Output', result.outputFileId ? file(result.outputFileId) : ''],
    ['Errors', result.errorFileId ? file(result.errorFileId) : ''],
    ['Input errors', errorLines(result.errors)],
  ];
}

/** An RL job's figures: problems, samples, acceptance, pass@1, pass@k, groups, kept, dataset. */
export function rlFields(result: RlSyntheticResult, file: FileLabel = byId): [string, string][] {
  const k = result.k || 'k';
  const counted = result.samples > 0 || result.problems > 0;
  return [
    ['Status', result.status],
    ['Requests', result.status === 'completed' ? '' : requests(result.requestCounts)],
    ['Problems', counted ? count(result.problems) : ''],
    ['Samples', counted ? `${count(result.samples)} (${k} per problem)` : ''],
    ['Accepted', counted ? `${count(result.accepted)} (${percentOf(result.acceptanceRate)})` : ''],
    ['pass@1', counted ? result.passAt1.toFixed(3) : ''],
    [`pass@${k}`, counted ? result.passAtK.toFixed(3) : ''],
    [
      'Groups dropped',
      counted
        ? `${count(result.groupsAllPassed)} all passed, ${count(result.groupsNonePassed)} none passed`
        : '',
    ],
    ['Kept', counted ? count(result.kept) : ''],
    ['Dataset', result.datasetFileId ? file(result.datasetFileId) : ''],
    ['Input errors', errorLines(result.errors)],
  ];
}

/** `yes`, `no` or `not judged`: whether a verifier accepted the answer. */
function verdict(accepted: boolean | undefined): string {
  if (accepted === undefined) return 'not judged (no verifier ran on it)';
  return accepted ? 'yes, a verifier accepted it' : 'no, the verifier rejected it';
}

/** A reasoning job's answer, verdict and what its engine calls cost. */
export function reasoningFields(result: ReasoningResult): [string, string][] {
  const saved = result.callsSavedCache + result.callsSavedInflight;
  return [
    ['Answer', result.answer],
    ['Accepted', verdict(result.accepted)],
    ['Stopped early', result.stoppedEarly ? 'yes' : ''],
    ['Stop reason', result.stopReason],
    [
      'Calls',
      `${count(result.callsMade)} made, ${count(saved)} saved ` +
        `(${count(result.callsSavedCache)} from the cache, ${count(result.callsSavedInflight)} in flight)`,
    ],
    ['Tokens', result.tokens > 0 ? count(result.tokens) : ''],
  ];
}

/** One row per step: what it produced, the calls it asked for, and whether it ran. */
export function renderSteps(steps: readonly ReasoningStepResult[]): string {
  return renderTable<ReasoningStepResult>(
    [
      { header: 'STEP', value: (s) => s.id },
      { header: 'ITEMS', value: (s) => String(s.items), align: 'right' },
      { header: 'CALLS', value: (s) => String(s.calls), align: 'right' },
      {
        header: 'ACCEPTED',
        value: (s) => (s.accepted > 0 ? String(s.accepted) : ''),
        align: 'right',
      },
      { header: 'RAN', value: (s) => (s.ran ? 'yes' : 'no (skipped)') },
      { header: 'ANSWER', value: (s) => s.answer, maxWidth: 40 },
    ],
    steps,
  );
}

/** The fields of a job's result by kind ([] without one); `file` shows its files. */
export function resultFields(job: Job, file: FileLabel = byId): [string, string][] {
  const kind = job.result?.kind;
  const fields =
    kind?.$case === 'batch'
      ? batchFields(kind.batch, file)
      : kind?.$case === 'rlSynthetic'
        ? rlFields(kind.rlSynthetic, file)
        : kind?.$case === 'reasoning'
          ? reasoningFields(kind.reasoning)
          : [];
  return fields.filter(([, value]) => value !== '');
}

/** The status of a batch or RL job's result (`in_progress`), '' for others. */
export function resultStatus(job: Job): string {
  const kind = job.result?.kind;
  if (kind?.$case === 'batch') return kind.batch.status;
  if (kind?.$case === 'rlSynthetic') return kind.rlSynthetic.status;
  return '';
}

/** `gantry get`'s Result section, indented under its heading ('' without a result). */
export function renderResultSection(job: Job): string {
  const fields = resultFields(job);
  return fields.length === 0 ? '' : `Result:\n${renderFields(fields).replace(/^/gm, '  ')}`;
}
