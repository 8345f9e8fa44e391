import { DependencyCondition, JobSpec } from '@gantry/proto';
import { decodeSpec } from './decode';
import { SPEC_FILE_EXAMPLES } from './examples';
import { jobSpecShape } from './job-spec-shapes';
import { formatProblem, SpecFileError } from './spec-file-error';
import { parseSpecSource } from './spec-source';

/** Decodes YAML text as job.yaml in /specs; returns the problems as printed, and the spec. */
function decode(text: string) {
  const source = parseSpecSource(text, 'job.yaml', '/specs');
  const decoded = decodeSpec(source, jobSpecShape);
  return {
    problems: decoded.problems.map((p) => formatProblem('job.yaml', p)),
    spec: JobSpec.fromPartial((decoded.value ?? {}) as Parameters<typeof JobSpec.fromPartial>[0]),
    localFiles: decoded.localFiles,
  };
}

function problemsOf(text: string): string[] {
  try {
    return decode(text).problems;
  } catch (error) {
    if (error instanceof SpecFileError) return error.lines();
    throw error;
  }
}

const reasoning = (steps: string) => `name: r
resources: { gpus: 1 }
inference_reasoning:
  model: m
  steps:
${steps}
  output: final
`;

describe('decoding a spec file', () => {
  it.each(Object.entries(SPEC_FILE_EXAMPLES))('decodes the --help example %s', (_name, text) => {
    expect(decode(text).problems).toEqual([]);
  });

  it('maps a reasoning DAG to JobSpec, each step a $case union', () => {
    const { problems, spec } = decode(
      reasoning(`    - id: draft
      sample: { n: 8, prompt: '{{question}}', temperature: 0.8, seed: 0, chat: false }
    - id: check
      verify: { input: draft, verifier: exact-answer, stop_when_accepted: true }
    - { id: final, vote: { input: draft } }`),
    );
    expect(problems).toEqual([]);
    expect(spec.workload?.$case).toBe('inferenceReasoning');
    const workload =
      spec.workload?.$case === 'inferenceReasoning' ? spec.workload.inferenceReasoning : undefined;
    expect(workload?.steps).toEqual([
      {
        id: 'draft',
        kind: {
          $case: 'sample',
          sample: {
            prompt: '{{question}}',
            n: 8,
            temperature: 0.8,
            topP: undefined,
            maxTokens: 0,
            seed: 0,
            chat: false,
          },
        },
      },
      {
        id: 'check',
        kind: {
          $case: 'verify',
          verify: { input: 'draft', verifier: 'exact-answer', stopWhenAccepted: true },
        },
      },
      { id: 'final', kind: { $case: 'vote', vote: { input: 'draft', method: '' } } },
    ]);
    expect(workload?.cache).toBeUndefined();
    expect(workload?.output).toBe('final');
  });

  it('reads durations as 24h, 1h30m, 90m, 30s or seconds', () => {
    const { problems, spec } = decode(`time_limit: 1h30m
inference_batch: { model: m, input_file_id: file_1, completion_window: 90 }
`);
    expect(problems).toEqual([]);
    expect(spec.timeLimit).toEqual({ seconds: 5400, nanos: 0 });
    expect(spec.workload).toMatchObject({
      $case: 'inferenceBatch',
      inferenceBatch: { inputFileId: 'file_1', completionWindow: { seconds: 90, nanos: 0 } },
    });
    expect(decode('time_limit: 24h\nsimulated: { gpu_seconds: 1 }\n').spec.timeLimit?.seconds).toBe(
      86_400,
    );
  });

  it('takes dependency conditions by the CLI names or the enum names', () => {
    const { problems, spec } = decode(`dependencies:
  - { job_id: job_a, condition: after-any }
  - { job_id: job_b, condition: DEPENDENCY_CONDITION_AFTER_FAILED }
  - { job_id: job_c }
simulated: { gpu_seconds: 1 }
`);
    expect(problems).toEqual([]);
    expect(spec.dependencies.map((d) => d.condition)).toEqual([
      DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY,
      DependencyCondition.DEPENDENCY_CONDITION_AFTER_FAILED,
      DependencyCondition.DEPENDENCY_CONDITION_UNSPECIFIED,
    ]);
  });

  it('records a local file relative to the spec file, and assigns its id later', () => {
    const { problems, localFiles } = decode(
      'inference_batch: { model: m, input_file: data/req.jsonl }\n',
    );
    expect(problems).toEqual([]);
    expect(localFiles).toMatchObject([
      {
        path: 'inference_batch.input_file',
        given: 'data/req.jsonl',
        localPath: '/specs/data/req.jsonl',
      },
    ]);
  });

  it('treats an empty field as unset', () => {
    const { problems, spec } = decode('name:\nlabels:\nsimulated: { gpu_seconds: 1 }\n');
    expect(problems).toEqual([]);
    expect(spec.name).toBe('');
  });

  it.each([
    [
      'an unknown field, with its line and a near miss',
      reasoning(`    - id: draft
      sample: { n: 2 }
    - id: improve
      refine:
        inputs: draft`),
      'job.yaml:10: inference_reasoning.steps[1].refine: unknown field "inputs" (did you mean "input"?)',
    ],
    [
      'a camelCase name',
      reasoning(`    - id: draft
      sample: { maxTokens: 5 }`),
      'job.yaml:7: inference_reasoning.steps[0].sample: unknown field "maxTokens" (did you mean "max_tokens"?)',
    ],
    [
      'a field one level too high',
      'gpus: 2\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:1: unknown field "gpus" (did you mean "resources.gpus"?)',
    ],
    [
      'a duration with its unit in the name',
      'time_limit_seconds: 60\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:1: unknown field "time_limit_seconds" (did you mean "time_limit"?)',
    ],
    [
      'a number where a string belongs',
      'inference_reasoning:\n  model: m\n  answer: 391\n',
      'job.yaml:3: inference_reasoning.answer: must be a string; put the value in quotes',
    ],
    [
      'a fraction where a whole number belongs',
      'resources: { gpus: 1.5 }\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:1: resources.gpus: must be a whole number',
    ],
    [
      'an int32 out of range',
      'priority: 3000000000\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:1: priority: must be a whole number from -2147483648 to 2147483647',
    ],
    [
      'a string where a number belongs',
      'simulated: { gpu_seconds: "60" }\n',
      'job.yaml:1: simulated.gpu_seconds: must be a number',
    ],
    [
      'yes for a boolean (YAML 1.2 reads it as a string)',
      'inference_reasoning: { model: m, cache: yes }\n',
      'job.yaml:1: inference_reasoning.cache: must be true or false',
    ],
    [
      'a malformed duration',
      'inference_batch:\n  model: m\n  completion_window: 3 days\n',
      "job.yaml:3: inference_batch.completion_window: must be a duration like 24h, 90m, 30s or 1h30m, or a number of seconds (got '3 days')",
    ],
    [
      'a negative duration',
      'time_limit: -5\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:1: time_limit: must be a duration like 24h, 90m, 30s or 1h30m, or a number of seconds',
    ],
    [
      'an unknown dependency condition',
      'dependencies:\n  - job_id: job_a\n    condition: later\nsimulated: { gpu_seconds: 1 }\n',
      "job.yaml:3: dependencies[0].condition: must be after-ok, after-any or after-failed (got 'later')",
    ],
    [
      'a label value that is not a string',
      'labels:\n  team: vision\n  tier: 2\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:3: labels.tier: must be a string; put the value in quotes',
    ],
    [
      'a list that is a scalar',
      'command: { argv: python }\n',
      'job.yaml:1: command.argv: must be a list',
    ],
    [
      'a message that is a scalar',
      'resources: 4\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:1: resources: must be a mapping of fields',
    ],
    [
      'no workload',
      'name: x\nqueue: rl\n',
      'job.yaml:1: needs a workload: one of command, simulated, inference_batch, inference_reasoning, rl_synthetic',
    ],
    [
      'two workloads, at the second',
      'name: x\ncommand: { argv: [a] }\ninference_batch: { model: m }\n',
      'job.yaml:3: set only one workload, not command and inference_batch',
    ],
    [
      'a shard',
      'shard: { index: 1 }\n',
      'job.yaml:1: shard: is created by the control plane for inference_batch and rl_synthetic jobs; a spec may not name it',
    ],
    [
      'a step without a kind',
      reasoning('    - id: draft'),
      'job.yaml:6: inference_reasoning.steps[0]: needs a kind: one of sample, refine, verify, vote, select',
    ],
    [
      'a step with two kinds',
      reasoning('    - id: draft\n      sample: { n: 1 }\n      vote: { input: x }'),
      'job.yaml:8: inference_reasoning.steps[0]: set only one kind, not sample and vote',
    ],
    [
      'both a local file and a file id',
      'inference_batch:\n  model: m\n  input_file: ./a.jsonl\n  input_file_id: file_1\n',
      'job.yaml:4: inference_batch: set only one of input_file, input_file_id',
    ],
    [
      'an empty local file name',
      "rl_synthetic:\n  policy_model: m\n  problems_file: ''\n",
      'job.yaml:3: rl_synthetic.problems_file: must name a local file (a path relative to the spec file)',
    ],
    [
      'a YAML syntax error, with its line',
      'name: x\nresources: { gpus: 1\nsimulated: { gpu_seconds: 1 }\n',
      'job.yaml:3: flow map in block collection must be sufficiently indented and end with a }',
    ],
    [
      'a duplicate key',
      'name: x\nsimulated: { gpu_seconds: 1 }\nname: y\n',
      'job.yaml:3: map keys must be unique',
    ],
    [
      'two documents',
      'name: x\n---\nname: y\n',
      'job.yaml:2: holds more than one YAML document; give one job per file',
    ],
    ['a list at the top', '- name: x\n', 'job.yaml:1: must be a mapping of fields'],
  ])('reports %s', (_case, text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it('reports every problem, each with its line', () => {
    expect(
      problemsOf('nmae: x\nresources: { gpus: x }\nsimulated: { gpu_seconds: 1, seeds: 2 }\n'),
    ).toEqual([
      'job.yaml:1: unknown field "nmae" (did you mean "name"?)',
      'job.yaml:2: resources.gpus: must be a whole number',
      'job.yaml:3: simulated: unknown field "seeds" (did you mean "seed"?)',
    ]);
  });

  it('reads JSON with line numbers too', () => {
    const text =
      '{\n\t"name": "x",\n\t"simulated": {\n\t\t"gpu_seconds": 1,\n\t\t"exitCode": 3\n\t}\n}\n';
    expect(problemsOf(text)).toEqual([
      'job.yaml:5: simulated: unknown field "exitCode" (did you mean "exit_code"?)',
    ]);
  });
});
