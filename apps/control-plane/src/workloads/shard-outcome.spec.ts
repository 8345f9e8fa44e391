import { parseJobSpec, type JobState } from '@gantry/domain';
import type { ShardView } from '@gantry/store';
import { CANCELLED_REASON, EXPIRED_REASON, shardOutcome, type ShardFacts } from './shard-outcome';

const PARENT = `job_${'0'.repeat(10)}${'b'.repeat(16)}`;

function aShard(index: number, state: JobState, progress = { answered: 0, failed: 0 }): ShardView {
  const spec = parseJobSpec({
    resources: { gpus: 1 },
    shard: {
      parent_job_id: PARENT,
      index,
      count: 3,
      model: 'm',
      endpoint: '/v1/completions',
      requests_key: 'jobs/p/requests.jsonl',
      first_line: index * 10,
      line_count: 10,
      output_prefix: `jobs/p/shards/${index}/`,
    },
  });
  return {
    id: `job_shard${index}`,
    spec,
    state,
    reason: state === 'failed' ? 'EngineFailed' : '',
    message: state === 'failed' ? 'engine died (attempt 3 of 3)' : '',
    attempt: 1,
    progressMessage: JSON.stringify(progress),
  };
}

function facts(shards: ShardView[], overrides: Partial<ShardFacts> = {}): ShardFacts {
  return {
    cancelling: false,
    expired: false,
    shards,
    total: 30,
    countsOf: (s) => JSON.parse(s.progressMessage) as { answered: number; failed: number },
    ...overrides,
  };
}

describe('shardOutcome', () => {
  it.each<[string, ShardView[], Partial<ShardFacts>, unknown]>([
    [
      'sums the shards’ counts while any runs',
      [
        aShard(0, 'succeeded', { answered: 10, failed: 0 }),
        aShard(1, 'running', { answered: 4, failed: 1 }),
        aShard(2, 'pending'),
      ],
      {},
      { kind: 'running', counts: { total: 30, completed: 14, failed: 1 } },
    ],
    [
      'completes when every shard succeeded',
      [aShard(0, 'succeeded'), aShard(1, 'succeeded'), aShard(2, 'succeeded')],
      {},
      { kind: 'done', ending: { status: 'completed', reason: 'Completed' } },
    ],
    [
      'fails naming the first failed shard once the others have ended',
      [aShard(0, 'succeeded'), aShard(1, 'failed'), aShard(2, 'succeeded')],
      {},
      {
        kind: 'done',
        ending: {
          status: 'failed',
          reason: 'ShardsFailed',
          message: 'shard 1 (job_shard1) failed: engine died (attempt 3 of 3)',
        },
      },
    ],
    [
      'waits for the other shards after one failed',
      [aShard(0, 'failed'), aShard(1, 'running')],
      {},
      { kind: 'running' },
    ],
    [
      'cancels the live shards when the owner cancels',
      [aShard(0, 'succeeded'), aShard(1, 'running')],
      { cancelling: true },
      { kind: 'cancel', reason: CANCELLED_REASON },
    ],
    [
      'ends cancelled once they have stopped',
      [aShard(0, 'succeeded'), aShard(1, 'cancelled')],
      { cancelling: true },
      { kind: 'done', ending: { status: 'cancelled', reason: 'Cancelled' } },
    ],
    [
      'cancels the live shards when the window runs out',
      [aShard(0, 'succeeded'), aShard(1, 'running'), aShard(2, 'pending')],
      { expired: true },
      { kind: 'cancel', reason: EXPIRED_REASON },
    ],
    [
      'ends expired (not failed) once they have stopped, whatever they ended as',
      [aShard(0, 'succeeded'), aShard(1, 'cancelled'), aShard(2, 'failed')],
      { expired: true },
      { kind: 'done', ending: { status: 'expired', reason: 'Expired' } },
    ],
    [
      'completes when every shard had finished before the window was seen to run out',
      [aShard(0, 'succeeded')],
      { expired: true },
      { kind: 'done', ending: { status: 'completed' } },
    ],
  ])('%s', (_name, shards, overrides, expected) => {
    expect(shardOutcome(facts(shards, overrides))).toMatchObject(expected as object);
  });
});
