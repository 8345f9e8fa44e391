import { jobLabel, few, succeededWith } from './outcome-checks';
import { type JsonLine } from './inference-files';
import { type InferenceOutcome } from './inference-outcome';

/** The answer text of a batch output line (chat or completions), if it has one. */
export function answerText(line: JsonLine): string | undefined {
  const response = line['response'] as
    { status_code?: unknown; body?: { choices?: unknown } } | null | undefined;
  if (response?.status_code !== 200) return undefined;
  const choices = response.body?.choices;
  const first = Array.isArray(choices)
    ? (choices[0] as { message?: { content?: unknown }; text?: unknown } | undefined)
    : undefined;
  const text = first?.message?.content ?? first?.text;
  return typeof text === 'string' ? text : undefined;
}

/** A batch: completed, every request answered once (output in request order), no errors. */
export function checkBatch({ plan, batch }: InferenceOutcome): string[] {
  const got = succeededWith(batch.observation, 'batch', 'batch');
  if ('problem' in got) return [got.problem];
  const name = jobLabel(batch.observation!);
  const { status, requestCounts } = got.result.batch;
  const expected = plan.batch.questions.map((q) => q.id);
  const problems: string[] = [];
  if (status !== 'completed') problems.push(`${name} ended ${status}; expected completed`);
  const counts = requestCounts ?? { total: 0, completed: 0, failed: 0 };
  if (counts.total !== expected.length)
    problems.push(`${name} counted ${counts.total} requests; its input has ${expected.length}`);
  if (counts.completed !== expected.length || counts.failed !== 0)
    problems.push(
      `${name} answered ${counts.completed} of ${counts.total} requests (${counts.failed} failed); ` +
        `expected all ${expected.length} answered`,
    );
  const ids = batch.output.map((l) => String(l['custom_id']));
  if (ids.length !== expected.length)
    problems.push(`${name} output has ${ids.length} lines for ${expected.length} requests`);
  const missing = expected.filter((id) => !ids.includes(id));
  if (missing.length > 0) problems.push(`${name} output lacks ${few(missing)}`);
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (repeated.length > 0) problems.push(`${name} output answers ${few(repeated)} more than once`);
  if (missing.length === 0 && repeated.length === 0 && ids.join() !== expected.join())
    problems.push(`${name} output is not in request order`);
  const unanswered = batch.output.filter((l) => answerText(l) === undefined);
  if (unanswered.length > 0)
    problems.push(
      `${name} output has no answer for ${few(unanswered.map((l) => String(l['custom_id'])))}`,
    );
  if (batch.errors.length > 0)
    problems.push(`${name} error file has ${batch.errors.length} line(s); expected none`);
  return problems;
}
