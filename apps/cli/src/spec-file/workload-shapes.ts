/**
 * The spec-file shapes of the inference kinds (proto/gantry/v1/workloads.proto; every field's
 * default and limit is in docs/job-kinds.md and checked by the server). `input_file` and
 * `problems_file` are the CLI's conveniences: local files it uploads first.
 */
import {
  bool,
  double,
  duration,
  int32,
  int64,
  list,
  localFile,
  message,
  string,
  type MessageShape,
} from './shapes';

const engineFields = { revision: string, engine: string };

export const inferenceBatchShape: MessageShape = message(
  {
    model: string,
    ...engineFields,
    input_file: localFile('input_file_id'),
    input_file_id: string,
    endpoint: string,
    completion_window: duration,
    shards: int32,
    max_concurrency: int32,
  },
  { exclusive: [['input_file', 'input_file_id']] },
);

const sampling = {
  n: int32,
  temperature: double,
  top_p: double,
  max_tokens: int32,
  seed: int64,
  chat: bool,
};

/** One step of a reasoning DAG: an `id` and exactly one kind. */
export const reasoningStepShape: MessageShape = message(
  { id: string },
  {
    oneofs: [
      {
        name: 'kind',
        what: 'kind',
        required: true,
        members: {
          sample: message({ prompt: string, ...sampling }),
          refine: message({ input: string, prompt: string, ...sampling }),
          verify: message({ input: string, verifier: string, stop_when_accepted: bool }),
          vote: message({ input: string, method: string }),
          select: message({ input: string, by: string }),
        },
      },
    ],
  },
);

export const reasoningShape: MessageShape = message({
  model: string,
  ...engineFields,
  question: string,
  answer: string,
  cache: bool,
  max_concurrency: int32,
  budget: message({ max_tokens: int64, max_calls: int32 }),
  steps: list(reasoningStepShape),
  output: string,
});

export const rlSyntheticShape: MessageShape = message(
  {
    policy_model: string,
    ...engineFields,
    problems_file: localFile('problems_file_id'),
    problems_file_id: string,
    samples_per_problem: int32,
    endpoint: string,
    sampling: message({ temperature: double, top_p: double, max_tokens: int32, seed: int64 }),
    verifier: string,
    verifier_options: message({ time_limit_seconds: int32, memory_limit_mb: int32 }),
    keep: string,
    group_filter: bool,
    shards: int32,
    max_concurrency: int32,
  },
  { exclusive: [['problems_file', 'problems_file_id']] },
);
