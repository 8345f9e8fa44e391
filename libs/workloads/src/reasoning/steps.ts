/**
 * Running one step of a reasoning DAG: it waits only for what it needs (the steps its template
 * names; its input item by item for refine and verify, whole for vote and select) and emits its
 * items into `out` as they come. Every wait listens to the run's signal.
 */
import {
  renderTemplate,
  templateStepReferences,
  type InferenceReasoningWorkload,
  type ReasoningStep,
} from '@gantry/domain';
import { abortable } from '../common/abort';
import type { ExtractAnswer, VerifierFor } from '../common/verdict';
import { bestScored, majorityAnswer } from './choose';
import type { ItemStream, StepItem } from './item-stream';
import type { RunContext } from './run-context';

export interface StepTools {
  readonly spec: InferenceReasoningWorkload;
  readonly ctx: RunContext;
  readonly streams: ReadonlyMap<string, ItemStream>;
  readonly verifierFor: VerifierFor;
  readonly extractAnswer: ExtractAnswer;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Runs `step`, emitting into `out`; resolves when it has emitted every item. */
export async function runStep(step: ReasoningStep, out: ItemStream, t: StepTools): Promise<void> {
  const { ctx } = t;
  const stream = (id: string) => t.streams.get(id)!;
  switch (step.kind) {
    case 'sample': {
      const prompt = await prompter(step.prompt, t);
      await Promise.all(
        range(step.n).map(async (i) => {
          const text = await ctx.call(
            step,
            prompt(null),
            i,
            `step "${step.id}" (call ${i + 1} of ${step.n})`,
          );
          out.emit({ index: i, text });
        }),
      );
      return;
    }
    case 'refine': {
      const prompt = await prompter(step.prompt, t);
      return forEachItem(stream(step.input), ctx, async (item) => {
        await Promise.all(
          range(step.n).map(async (i) => {
            const where = `step "${step.id}" (item ${item.index}, call ${i + 1} of ${step.n})`;
            const text = await ctx.call(step, prompt(item.text), i, where);
            out.emit({ index: item.index * step.n + i, text });
          }),
        );
      });
    }
    case 'verify': {
      const verifier = t.verifierFor(step.verifier);
      const problem = {
        id: 'question',
        prompt: t.spec.question,
        ...(t.spec.answer !== null ? { answer: t.spec.answer } : {}),
      };
      return forEachItem(stream(step.input), ctx, async (item) => {
        const verdict = await abortable(verifier.verify(item.text, problem), ctx.signal);
        const judged: StepItem = { index: item.index, text: item.text, verdict };
        out.emit(judged);
        if (verdict.accepted && step.stopWhenAccepted) ctx.accept(step.id, judged);
      });
    }
    case 'vote': {
      const items = await abortable(stream(step.input).done, ctx.signal);
      const winner = majorityAnswer(items, t.extractAnswer);
      if (winner)
        out.emit({
          index: 0,
          text: winner.answer,
          ...(winner.item.verdict ? { verdict: winner.item.verdict } : {}),
        });
      return;
    }
    case 'select': {
      const judged = await abortable(stream(step.by).done, ctx.signal);
      const best = bestScored(judged);
      if (best) out.emit({ ...best, index: 0 });
      return;
    }
  }
}

/**
 * Waits for the steps a template names, then returns the template's renderer: `{{question}}`,
 * `{{item}}` (the argument), `{{<step>}}` (that step's item texts joined by blank lines).
 */
async function prompter(template: string, t: StepTools): Promise<(item: string | null) => string> {
  const refs = templateStepReferences(template);
  const done = await Promise.all(
    refs.map((id) => abortable(t.streams.get(id)!.done, t.ctx.signal)),
  );
  const values = new Map(refs.map((id, k) => [id, done[k]!.map((item) => item.text).join('\n\n')]));
  return (item) =>
    renderTemplate(template, (name) =>
      name === 'question'
        ? t.spec.question
        : name === 'item'
          ? (item ?? undefined)
          : values.get(name),
    );
}

/** Runs `work` on each item of `input` as it comes; resolves when the input and all work are done. */
async function forEachItem(
  input: ItemStream,
  ctx: RunContext,
  work: (item: StepItem) => Promise<void>,
): Promise<void> {
  const tasks: Promise<void>[] = [];
  input.subscribe((item) => {
    const task = work(item);
    task.catch((error: unknown) => ctx.fail(error)); // fail the run now, not when the input ends
    tasks.push(task);
  });
  await abortable(input.done, ctx.signal);
  await Promise.all(tasks);
}
