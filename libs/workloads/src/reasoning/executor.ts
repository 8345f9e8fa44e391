/**
 * runReasoning: one reasoning DAG against one engine (docs/job-kinds.md, ADR 9). Every step
 * starts at once and waits only for what it needs, so independent steps run in parallel and
 * item-wise steps (refine, verify) work on each item as soon as it exists. At most
 * `max_concurrency` engine calls are in flight; every call goes through the step cache (identical
 * calls run once); the budget counts every call asked for. The run ends when every step has
 * finished, when a `stop_when_accepted` verify accepts (that item is the answer), or when the
 * budget is spent (the result says which). The first engine error fails the run: it rejects with
 * that error (UnavailableError when retrying may help). An abort of `signal` rejects with its
 * reason.
 */
import type { InferenceReasoningWorkload } from '@gantry/domain';
import { abortError } from '../common/abort';
import type { ExtractAnswer, VerifierFor } from '../common/verdict';
import type { InferenceClient, StepCache } from '../ports';
import { answerOf, bestScored } from './choose';
import { ItemStream, type StepItem } from './item-stream';
import { plannedCalls } from './plan';
import type { ReasoningResult, StepSummary } from './result';
import { RunContext } from './run-context';
import { runStep } from './steps';

export interface ReasoningDeps {
  readonly client: InferenceClient;
  /** The shared cache, or an InProcessStepCache of the job's own for `cache: false`. */
  readonly cache: StepCache;
  readonly verifierFor: VerifierFor;
  readonly extractAnswer: ExtractAnswer;
  readonly signal?: AbortSignal;
  /** Engine calls finished (made or saved) of those planned. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs a validated reasoning workload (parseJobSpec has checked its DAG). */
export async function runReasoning(
  spec: InferenceReasoningWorkload,
  deps: ReasoningDeps,
): Promise<ReasoningResult> {
  deps.signal?.throwIfAborted();
  const ctx = new RunContext(spec, deps, plannedCalls(spec));
  const onAbort = () => ctx.abort(abortError(deps.signal!));
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  const streams = new Map(spec.steps.map((step) => [step.id, new ItemStream()]));
  const tools = {
    spec,
    ctx,
    streams,
    verifierFor: deps.verifierFor,
    extractAnswer: deps.extractAnswer,
  };
  try {
    await Promise.all(
      spec.steps.map(async (step) => {
        const out = streams.get(step.id)!;
        try {
          await runStep(step, out, tools);
          out.close();
        } catch (error) {
          out.fail(error instanceof Error ? error : new Error(String(error)));
          ctx.fail(error);
        }
      }),
    );
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
  if (deps.signal?.aborted) throw abortError(deps.signal);
  if (ctx.failure) throw ctx.failure;
  return buildResult(spec, ctx, streams, deps);
}

function buildResult(
  spec: InferenceReasoningWorkload,
  ctx: RunContext,
  streams: ReadonlyMap<string, ItemStream>,
  deps: ReasoningDeps,
): ReasoningResult {
  const steps: StepSummary[] = spec.steps.map((step) => {
    const stream = streams.get(step.id)!;
    const c = ctx.countersOf(step.id);
    const accepted = step.kind === 'verify' ? { accepted: acceptedCount(stream) } : {};
    const chosen =
      step.kind === 'vote' || step.kind === 'select' ? stream.snapshot()[0] : undefined;
    const answer =
      step.kind === 'vote'
        ? { answer: chosen?.text ?? null }
        : step.kind === 'select'
          ? { answer: chosen ? answerOf(chosen, deps.extractAnswer) : null }
          : {};
    return {
      id: step.id,
      kind: step.kind,
      status: stream.finished ? 'completed' : 'stopped',
      items: stream.count,
      calls: c.callsMade + c.callsSavedCache + c.callsSavedInflight,
      callsMade: c.callsMade,
      callsSavedCache: c.callsSavedCache,
      callsSavedInflight: c.callsSavedInflight,
      tokens: c.tokens,
      ...accepted,
      ...answer,
    };
  });
  const output = spec.steps.find((s) => s.id === spec.output)!;
  const outStream = streams.get(output.id)!;
  let item: StepItem | null = ctx.accepted?.item ?? null;
  if (!item && outStream.finished) {
    const items = outStream.snapshot();
    item = output.kind === 'verify' ? bestScored(items) : (items[0] ?? null);
  }
  const answer =
    item === null
      ? null
      : output.kind === 'vote' && !ctx.accepted
        ? item.text
        : answerOf(item, deps.extractAnswer);
  const stopReason = ctx.stopReason ?? 'completed';
  const sum = (key: 'callsMade' | 'callsSavedCache' | 'callsSavedInflight') =>
    steps.reduce((n, s) => n + s[key], 0);
  return {
    answer,
    text: item?.text ?? null,
    accepted: item?.verdict?.accepted === true,
    judged: item?.verdict !== undefined,
    stoppedEarly: stopReason !== 'completed',
    stopReason,
    message:
      stopReason === 'completed'
        ? answer === null
          ? `step "${output.id}" gave no answer`
          : `step "${output.id}" answered`
        : ctx.stopMessage,
    callsMade: sum('callsMade'),
    callsSavedCache: sum('callsSavedCache'),
    callsSavedInflight: sum('callsSavedInflight'),
    tokens: ctx.tokens,
    steps,
  };
}

function acceptedCount(stream: ItemStream): number {
  return stream.snapshot().filter((item) => item.verdict?.accepted === true).length;
}
