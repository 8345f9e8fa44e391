import { parseJobSpec } from '../job-spec';
import { A_FILE_ID, batchInput, violationsOf } from '../testing/workload-specs';

describe('inference_batch spec', () => {
  it('applies every default of docs/job-kinds.md', () => {
    const spec = parseJobSpec(batchInput());
    expect(spec.workload).toEqual({
      kind: 'inference_batch',
      model: 'Qwen/Qwen2.5-7B-Instruct',
      revision: 'main',
      engine: null,
      inputFileId: A_FILE_ID,
      endpoint: '/v1/chat/completions',
      completionWindowSeconds: 86_400,
      shards: 1,
      maxConcurrency: 32,
    });
    expect(spec.name).toBe('inference-batch');
  });

  it('keeps every field it is given', () => {
    const spec = parseJobSpec(
      batchInput({
        revision: 'v1.2',
        engine: 'sglang',
        endpoint: '/v1/completions',
        completion_window_seconds: 3600,
        shards: 4,
        max_concurrency: 8,
      }),
    );
    expect(spec.workload).toMatchObject({
      revision: 'v1.2',
      engine: 'sglang',
      endpoint: '/v1/completions',
      completionWindowSeconds: 3600,
      shards: 4,
      maxConcurrency: 8,
    });
  });

  it('takes proto3 empty strings as unset', () => {
    const spec = parseJobSpec(batchInput({ revision: '', engine: '' }));
    expect(spec.workload).toMatchObject({ revision: 'main', engine: null });
  });

  const field = (name: string) => `spec.inference_batch.${name}`;
  it.each([
    [{ model: undefined }, field('model'), 'is required'],
    [{ model: '' }, field('model'), 'is required'],
    [{ model: 'm'.repeat(257) }, field('model'), 'must be at most 256 characters'],
    [{ revision: 'my branch' }, field('revision'), 'without spaces'],
    [{ engine: 'vLLM' }, field('engine'), 'must be 1-63 lower-case letters, digits or "-"'],
    [{ input_file_id: undefined }, field('input_file_id'), 'is required'],
    [{ input_file_id: 'job_x' }, field('input_file_id'), 'must be a file id'],
    [{ endpoint: undefined }, field('endpoint'), 'is required'],
    [
      { endpoint: '/v1/embeddings' },
      field('endpoint'),
      'must be /v1/chat/completions or /v1/completions',
    ],
    [{ completion_window_seconds: 59 }, field('completion_window_seconds'), 'must be at least 60'],
    [
      { completion_window_seconds: 604_801 },
      field('completion_window_seconds'),
      'must be at most 604800',
    ],
    [{ shards: 0 }, field('shards'), 'must be at least 1'],
    [{ shards: 257 }, field('shards'), 'must be at most 256'],
    [{ max_concurrency: 1025 }, field('max_concurrency'), 'must be at most 1024'],
    [{ max_concurrency: 1.5 }, field('max_concurrency'), 'must be a whole number'],
    [{ colour: 'red' }, 'spec.inference_batch', 'unknown field(s) colour'],
  ])('rejects %j at %s', (fields, at, message) => {
    expect(violationsOf(batchInput(fields))).toContainEqual({
      field: at,
      message: expect.stringContaining(message) as string,
    });
  });

  it('needs a GPU on one node for its engine', () => {
    expect(violationsOf({ ...batchInput(), resources: undefined })).toEqual([
      {
        field: 'spec.resources.gpus',
        message: 'is 0; inference_batch needs at least 1 GPU for its inference engine',
      },
    ]);
    expect(violationsOf({ ...batchInput(), resources: { gpus: 8, nodes: 2 } })).toEqual([
      {
        field: 'spec.resources.nodes',
        message: 'is 2; inference_batch runs its engine on one node',
      },
    ]);
  });
});
