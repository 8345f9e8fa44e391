/**
 * The inference kinds' workloads between the wire and the domain (see job-spec.mapper.ts for the
 * conventions). Proto3 cannot tell unset from zero or false: a zero count or limit is "unset"
 * (the domain applies its default), and the booleans whose default is true (`cache`,
 * `group_filter`, `chat`) are `optional` on the wire.
 */
import type * as pb from '@gantry/proto';
import type {
  InferenceBatchWorkload,
  InferenceReasoningWorkload,
  LeaseWorkload,
  ReasoningStep,
  RlSyntheticWorkload,
  SamplingParams,
  ShardWorkload,
} from '@gantry/domain';

type Workload = pb.JobSpec['workload'];

const positive = (n: number | undefined): number | undefined => (n ? n : undefined);
const text = (s: string): string | undefined => (s === '' ? undefined : s);

function durationSeconds(duration: pb.Duration | undefined): number | undefined {
  return duration ? duration.seconds + duration.nanos / 1e9 : undefined;
}

function samplingInput(s: {
  temperature?: number;
  topP?: number;
  maxTokens: number;
  seed?: number;
}): Record<string, unknown> {
  return {
    temperature: s.temperature,
    top_p: s.topP,
    max_tokens: positive(s.maxTokens),
    seed: s.seed,
  };
}

function stepInput(step: pb.ReasoningStep): Record<string, unknown> {
  const kind = step.kind;
  const base = { id: text(step.id) };
  switch (kind?.$case) {
    case 'sample':
      return {
        ...base,
        sample: {
          prompt: kind.sample.prompt,
          n: positive(kind.sample.n),
          chat: kind.sample.chat,
          ...samplingInput(kind.sample),
        },
      };
    case 'refine':
      return {
        ...base,
        refine: {
          input: text(kind.refine.input),
          prompt: kind.refine.prompt,
          n: positive(kind.refine.n),
          chat: kind.refine.chat,
          ...samplingInput(kind.refine),
        },
      };
    case 'verify':
      return {
        ...base,
        verify: {
          input: text(kind.verify.input),
          verifier: text(kind.verify.verifier),
          stop_when_accepted: kind.verify.stopWhenAccepted || undefined,
        },
      };
    case 'vote':
      return { ...base, vote: { input: text(kind.vote.input), method: text(kind.vote.method) } };
    case 'select':
      return { ...base, select: { input: text(kind.select.input), by: text(kind.select.by) } };
    default:
      return base;
  }
}

/** The new kinds' workload fields as parseJobSpec's input (snake_case, unset undefined). */
export function workloadInput(workload: Workload): Record<string, unknown> {
  switch (workload?.$case) {
    case 'inferenceBatch': {
      const w = workload.inferenceBatch;
      return {
        inference_batch: {
          model: w.model,
          revision: text(w.revision),
          engine: text(w.engine),
          input_file_id: w.inputFileId,
          endpoint: w.endpoint,
          completion_window_seconds: durationSeconds(w.completionWindow),
          shards: positive(w.shards),
          max_concurrency: positive(w.maxConcurrency),
        },
      };
    }
    case 'inferenceReasoning': {
      const w = workload.inferenceReasoning;
      return {
        inference_reasoning: {
          model: w.model,
          revision: text(w.revision),
          engine: text(w.engine),
          question: w.question,
          answer: text(w.answer),
          cache: w.cache,
          max_concurrency: positive(w.maxConcurrency),
          budget: w.budget
            ? { max_tokens: positive(w.budget.maxTokens), max_calls: positive(w.budget.maxCalls) }
            : undefined,
          steps: w.steps.map(stepInput),
          output: text(w.output),
        },
      };
    }
    case 'rlSynthetic': {
      const w = workload.rlSynthetic;
      return {
        rl_synthetic: {
          policy_model: w.policyModel,
          revision: text(w.revision),
          engine: text(w.engine),
          problems_file_id: w.problemsFileId,
          samples_per_problem: positive(w.samplesPerProblem),
          endpoint: text(w.endpoint),
          sampling: w.sampling ? samplingInput(w.sampling) : undefined,
          verifier: text(w.verifier),
          verifier_options: w.verifierOptions
            ? {
                time_limit_seconds: positive(w.verifierOptions.timeLimitSeconds),
                memory_limit_mb: positive(w.verifierOptions.memoryLimitMb),
              }
            : undefined,
          keep: text(w.keep),
          group_filter: w.groupFilter,
          shards: positive(w.shards),
          max_concurrency: positive(w.maxConcurrency),
        },
      };
    }
    case 'shard': {
      const w = workload.shard;
      return {
        shard: {
          parent_job_id: w.parentJobId,
          index: w.index,
          count: w.count,
          model: w.model,
          revision: text(w.revision),
          engine: text(w.engine),
          endpoint: w.endpoint,
          requests_key: w.requestsKey,
          first_line: w.firstLine,
          line_count: w.lineCount,
          max_concurrency: positive(w.maxConcurrency),
          output_prefix: w.outputPrefix,
        },
      };
    }
    case 'lease':
      return { lease: { lease_id: workload.lease.leaseId } };
    default:
      return {};
  }
}

const toProtoSampling = (s: SamplingParams) => ({
  temperature: s.temperature,
  topP: s.topP,
  maxTokens: s.maxTokens,
  seed: s.seed,
});

function toProtoStep(step: ReasoningStep): pb.ReasoningStep {
  switch (step.kind) {
    case 'sample': {
      const sample = { prompt: step.prompt, n: step.n, chat: step.chat };
      return {
        id: step.id,
        kind: { $case: 'sample', sample: { ...sample, ...toProtoSampling(step.sampling) } },
      };
    }
    case 'refine': {
      const refine = { input: step.input, prompt: step.prompt, n: step.n, chat: step.chat };
      return {
        id: step.id,
        kind: { $case: 'refine', refine: { ...refine, ...toProtoSampling(step.sampling) } },
      };
    }
    case 'verify':
      return {
        id: step.id,
        kind: {
          $case: 'verify',
          verify: {
            input: step.input,
            verifier: step.verifier,
            stopWhenAccepted: step.stopWhenAccepted,
          },
        },
      };
    case 'vote':
      return {
        id: step.id,
        kind: { $case: 'vote', vote: { input: step.input, method: step.method } },
      };
    case 'select':
      return {
        id: step.id,
        kind: { $case: 'select', select: { input: step.input, by: step.by } },
      };
  }
}

/** The domain's inference workloads on the wire. */
export function toProtoWorkload(
  w:
    | InferenceBatchWorkload
    | InferenceReasoningWorkload
    | RlSyntheticWorkload
    | ShardWorkload
    | LeaseWorkload,
  toDuration: (seconds: number) => pb.Duration,
): Workload {
  switch (w.kind) {
    case 'lease':
      return { $case: 'lease', lease: { leaseId: w.leaseId } };
    case 'inference_batch':
      return {
        $case: 'inferenceBatch',
        inferenceBatch: {
          model: w.model,
          revision: w.revision,
          engine: w.engine ?? '',
          inputFileId: w.inputFileId,
          endpoint: w.endpoint,
          completionWindow: toDuration(w.completionWindowSeconds),
          shards: w.shards,
          maxConcurrency: w.maxConcurrency,
        },
      };
    case 'inference_reasoning':
      return {
        $case: 'inferenceReasoning',
        inferenceReasoning: {
          model: w.model,
          revision: w.revision,
          engine: w.engine ?? '',
          question: w.question,
          answer: w.answer ?? '',
          cache: w.cache,
          maxConcurrency: w.maxConcurrency,
          budget: { maxTokens: w.budget.maxTokens ?? 0, maxCalls: w.budget.maxCalls },
          steps: w.steps.map(toProtoStep),
          output: w.output,
        },
      };
    case 'rl_synthetic':
      return {
        $case: 'rlSynthetic',
        rlSynthetic: {
          policyModel: w.policyModel,
          revision: w.revision,
          engine: w.engine ?? '',
          problemsFileId: w.problemsFileId,
          samplesPerProblem: w.samplesPerProblem,
          endpoint: w.endpoint,
          sampling: toProtoSampling(w.sampling),
          verifier: w.verifier,
          verifierOptions: { ...w.verifierOptions },
          keep: w.keep,
          groupFilter: w.groupFilter,
          shards: w.shards,
          maxConcurrency: w.maxConcurrency,
        },
      };
    case 'shard':
      return {
        $case: 'shard',
        shard: {
          parentJobId: w.parentJobId,
          index: w.index,
          count: w.count,
          model: w.model,
          revision: w.revision,
          engine: w.engine ?? '',
          endpoint: w.endpoint,
          requestsKey: w.requestsKey,
          firstLine: w.firstLine,
          lineCount: w.lineCount,
          maxConcurrency: w.maxConcurrency,
          outputPrefix: w.outputPrefix,
        },
      };
  }
}
