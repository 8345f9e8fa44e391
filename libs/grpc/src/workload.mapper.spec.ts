import { parseJobSpec } from '@gantry/domain';
import { JobSpec as PbJobSpec } from '@gantry/proto';
import { specInput, toProtoSpec } from './job-spec.mapper';

const FILE = `file_${'0'.repeat(10)}${'a'.repeat(16)}`;
const JOB = `job_${'0'.repeat(10)}${'b'.repeat(16)}`;

/** Every field set to something other than its default. */
const SPECS: Record<string, Record<string, unknown>> = {
  inference_batch: {
    inference_batch: {
      model: 'qwen',
      revision: 'r2',
      engine: 'sglang',
      input_file_id: FILE,
      endpoint: '/v1/completions',
      completion_window_seconds: 3600,
      shards: 3,
      max_concurrency: 7,
    },
  },
  inference_reasoning: {
    inference_reasoning: {
      model: 'qwen',
      revision: 'r2',
      engine: 'vllm',
      question: 'What is 17 * 23?',
      answer: '391',
      cache: false,
      max_concurrency: 3,
      budget: { max_tokens: 5000, max_calls: 40 },
      steps: [
        {
          id: 'draft',
          sample: {
            prompt: '{{question}}',
            n: 4,
            temperature: 0,
            top_p: 0.5,
            max_tokens: 64,
            seed: 7,
            chat: false,
          },
        },
        {
          id: 'check',
          verify: { input: 'draft', verifier: 'exact-answer', stop_when_accepted: true },
        },
        { id: 'better', refine: { input: 'draft', prompt: 'Fix: {{item}}', n: 2, seed: 0 } },
        { id: 'pick', select: { input: 'draft', by: 'check' } },
        { id: 'final', vote: { input: 'better', method: 'majority' } },
      ],
      output: 'pick',
    },
  },
  rl_synthetic: {
    rl_synthetic: {
      policy_model: 'qwen-math',
      revision: 'r2',
      engine: 'vllm',
      problems_file_id: FILE,
      samples_per_problem: 4,
      endpoint: '/v1/completions',
      sampling: { temperature: 0.7, top_p: 0.9, max_tokens: 256, seed: 3 },
      verifier: 'unit-tests',
      verifier_options: { time_limit_seconds: 5, memory_limit_mb: 256 },
      keep: 'all',
      group_filter: false,
      shards: 2,
      max_concurrency: 9,
    },
  },
  shard: {
    shard: {
      parent_job_id: JOB,
      index: 0,
      count: 2,
      model: 'qwen',
      revision: 'r2',
      engine: 'vllm',
      endpoint: '/v1/chat/completions',
      requests_key: `files/${FILE}`,
      first_line: 0,
      line_count: 500,
      max_concurrency: 8,
      output_prefix: `jobs/${JOB}/shards/0/`,
    },
  },
};

SPECS['lease'] = { lease: { lease_id: `lease_${'0'.repeat(10)}${'c'.repeat(16)}` } };
SPECS['renter command'] = {
  command: { argv: ['python', 'train.py'] },
  lease_id: `lease_${'0'.repeat(10)}${'c'.repeat(16)}`,
};

describe.each(Object.keys(SPECS))('the %s workload on the wire', (kind) => {
  const spec = parseJobSpec({ resources: { gpus: 1 }, ...SPECS[kind] });

  it('round-trips: domain -> proto -> domain', () => {
    expect(spec.workload.kind).toBe(kind.split(' ')[1] ?? kind);
    expect(parseJobSpec(specInput(toProtoSpec(spec)))).toEqual(spec);
  });

  it('survives protobuf encoding (every field has a wire form)', () => {
    const wire = PbJobSpec.decode(PbJobSpec.encode(toProtoSpec(spec)).finish());
    expect(parseJobSpec(specInput(wire))).toEqual(spec);
  });
});

describe('unset inference fields on the wire', () => {
  it('take the domain defaults: zeros, empty strings and unset optionals', () => {
    const wire = PbJobSpec.fromPartial({
      resources: { gpus: 1 },
      workload: {
        $case: 'inferenceReasoning',
        inferenceReasoning: {
          model: 'qwen',
          question: 'What is 2 + 2?',
          steps: [{ id: 'a', kind: { $case: 'sample', sample: { prompt: '{{question}}' } } }],
        },
      },
    });
    const workload = parseJobSpec(specInput(wire)).workload;
    expect(workload).toMatchObject({
      kind: 'inference_reasoning',
      revision: 'main',
      engine: null,
      cache: true,
      answer: null,
      steps: [{ id: 'a', n: 1, chat: true, sampling: { temperature: 1, topP: 1, seed: 0 } }],
    });
  });

  it('name the field of a step without a kind', () => {
    const wire = PbJobSpec.fromPartial({
      resources: { gpus: 1 },
      workload: {
        $case: 'inferenceReasoning',
        inferenceReasoning: { model: 'qwen', question: 'q', steps: [{ id: 'a' }] },
      },
    });
    expect(() => parseJobSpec(specInput(wire))).toThrow('spec.inference_reasoning.steps[0]');
  });
});
