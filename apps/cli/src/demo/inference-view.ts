import { batchFields, reasoningFields, renderSteps, rlFields } from '../format/result-view';
import { renderFields, truncate } from '../format/table';
import { answerText } from './batch-check';
import { type Observation } from './demo-tracker';
import { type JsonLine } from './inference-files';
import { boxedAnswer } from './inference-inputs';
import { type InferenceOutcome } from './inference-outcome';

const indent = (text: string, by = '  ') => text.replace(/^/gm, by);

/** `file_01... (36 lines)`: a produced file and how many lines the demo read from it. */
function fileLabels(entries: readonly [string | undefined, number][]): (id: string) => string {
  const lines = new Map(entries.filter((e): e is [string, number] => e[0] !== undefined));
  return (id) => (lines.has(id) ? `${id} (${lines.get(id)} lines)` : id);
}

/** The head line of a job's section: kind, name, id, and what it ended as when not succeeded. */
function head(kind: string, o: Observation | undefined, about: string): string {
  if (!o) return `${kind}: not submitted`;
  const reason = o.job.result ? '' : `  (no result: ${o.job.reason} ${o.job.message})`.trimEnd();
  return `${kind}  ${o.demo.name} (${o.id}): ${about}${reason}`;
}

/** One answer of the batch: question, final answer, right or wrong, and the answer's text. */
function answerLine(line: JsonLine, question: { question: string; answer: string }): string {
  const text = answerText(line) ?? '';
  const final = boxedAnswer(text) ?? '?';
  const verdict = final === question.answer ? 'right' : `wrong, it is ${question.answer}`;
  return `${String(line['custom_id'])}  ${question.question}  ->  ${final} (${verdict}): "${truncate(text, 70)}"`;
}

function batchSection({ plan, batch }: InferenceOutcome): string[] {
  const o = batch.observation;
  const lines = [
    head(
      'inference_batch',
      o,
      `${plan.batch.questions.length} questions in ${plan.batch.shards} shards`,
    ),
  ];
  const result = o?.job.result?.kind;
  if (result?.$case !== 'batch') return lines;
  const label = fileLabels([
    [result.batch.outputFileId, batch.output.length],
    [result.batch.errorFileId, batch.errors.length],
  ]);
  const fields = batchFields(result.batch, label).filter(([k, v]) => v !== '' && k !== 'Expires');
  const byId = new Map(plan.batch.questions.map((q) => [q.id, q]));
  const judged = batch.output.flatMap((line) => {
    const q = byId.get(String(line['custom_id']));
    return q ? [{ line, q, right: boxedAnswer(answerText(line) ?? '') === q.answer }] : [];
  });
  const right = judged.filter((j) => j.right).length;
  if (judged.length > 0)
    fields.push([
      'Right',
      `${right} of ${judged.length} (the simulated model is right ~70% of the time)`,
    ]);
  lines.push(indent(renderFields(fields)));
  // A right answer and a wrong one, when there are both.
  const shown = [judged.find((j) => j.right), judged.find((j) => !j.right)].filter((j) => !!j);
  lines.push(...shown.map((j) => indent(answerLine(j.line, j.q), '    ')));
  return lines;
}

function reasoningSection({ plan, reasoning }: InferenceOutcome): string[] {
  const o = reasoning.observation;
  const lines = [
    head(
      'inference_reasoning',
      o,
      `${plan.reasoning.question} (reference ${plan.reasoning.answer}), steps ` +
        plan.reasoning.steps.map((s) => s.id).join(', '),
    ),
  ];
  const result = o?.job.result?.kind;
  if (result?.$case !== 'reasoning') return lines;
  const fields = reasoningFields(result.reasoning).filter(([, v]) => v !== '');
  lines.push(indent(renderFields(fields)), indent(renderSteps(result.reasoning.steps), '    '));
  return lines;
}

function rlSection({ plan, rl }: InferenceOutcome): string[] {
  const o = rl.observation;
  const lines = [
    head(
      'rl_synthetic',
      o,
      `${plan.rl.problems.length} problems x ${plan.rl.samplesPerProblem} samples, exact-answer, ` +
        'keep accepted, drop all/none-passed groups',
    ),
  ];
  const result = o?.job.result?.kind;
  if (result?.$case !== 'rlSynthetic') return lines;
  const label = fileLabels([[result.rlSynthetic.datasetFileId, rl.dataset.length]]);
  const fields = rlFields(result.rlSynthetic, label).filter(([, v]) => v !== '');
  lines.push(indent(renderFields(fields)));
  const first = rl.dataset[0];
  if (first) {
    const provenance = first['provenance'] as { seed?: unknown } | undefined;
    lines.push(
      indent(
        `first kept trace: ${String(first['problem_id'])} ${String(first['prompt'])}  ->  ` +
          `${String(first['extracted_answer'])} (seed ${String(provenance?.seed)}): ` +
          `"${truncate(String(first['completion']), 60)}"`,
        '    ',
      ),
    );
  }
  return lines;
}

/** The engine calls deduplication saved, in one line ('' without a reasoning result). */
export function savedLine({ reasoning }: InferenceOutcome): string {
  const result = reasoning.observation?.job.result?.kind;
  if (result?.$case !== 'reasoning') return '';
  const r = result.reasoning;
  const saved = r.callsSavedCache + r.callsSavedInflight;
  const asked = r.callsMade + saved;
  return (
    `deduplication: the reasoning DAG asked for ${asked} engine calls; ${r.callsMade} reached the ` +
    `engine and ${saved} were saved (${r.callsSavedCache} from the cache, ${r.callsSavedInflight} in flight)`
  );
}

/** What each inference job produced, a section per kind, then the calls deduplication saved. */
export function renderInference(outcome: InferenceOutcome): string {
  const saved = savedLine(outcome);
  return [
    batchSection(outcome).join('\n'),
    reasoningSection(outcome).join('\n'),
    rlSection(outcome).join('\n'),
    ...(saved ? [saved] : []),
  ].join('\n\n');
}
