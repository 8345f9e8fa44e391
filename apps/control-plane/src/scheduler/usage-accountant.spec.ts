import type { QueueRecord } from '@gantry/store';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts, T0 } from '../testing/parts';
import { RuntimeEstimates } from './runtime-estimates.service';
import { SnapshotBuilder } from './snapshot-builder';
import { ancestry, UsageAccountant } from './usage-accountant';

const queue = (name: string, parent: string | null): QueueRecord => ({
  name,
  parent,
  guaranteed: {},
  max: {},
  weight: 1,
});
const QUEUES = [queue('org', null), queue('team-a', 'org'), queue('team-b', 'org')];
const MINUTE = 60_000;

/** A 60 s reconcile interval and a 60 s half-life; jobs running on an H100 and an A100 node. */
async function setUp() {
  const parts = controlPlaneParts({ reconcileIntervalSeconds: 60, fairShareHalfLifeSeconds: 60 });
  parts.nodes.add(aNode('n1', { gpus: 8 }), aNode('n2', { gpus: 8, model: 'A100-80GB' }));
  const running = (id: string, queueName: string, nodeId: string, gpuIndices: number[]): void => {
    parts.jobs.add(
      aPendingJob(id, { queue: queueName, state: 'running', attempt: 1 }),
      anAttempt(id, 1, nodeId, { state: 'running', gpuIndices }),
    );
  };
  running('job_a', 'team-a', 'n1', [0, 1]);
  running('job_b', 'team-b', 'n1', [2]);
  running('job_c', 'team-b', 'n2', [0]);
  running('job_cpu', 'team-b', 'n2', []);
  const builder = new SnapshotBuilder(parts.config, new RuntimeEstimates(parts.jobs, parts.config));
  const accountant = new UsageAccountant(parts.policy, parts.config);
  const accrue = async (fence: number): Promise<boolean> => {
    const snapshot = builder.build({
      now: parts.clock.now(),
      nodes: await parts.nodes.list(),
      active: await parts.jobs.activeAttempts(),
      pending: [],
      queues: QUEUES,
      classes: [],
      usage: [],
    });
    return accountant.accrue(fence, snapshot, QUEUES);
  };
  return { ...parts, accountant, accrue };
}

describe('UsageAccountant', () => {
  it('only sets the baseline on its first look, and waits for the reconcile interval', async () => {
    const { accrue, clock, policy } = await setUp();
    expect(await accrue(1)).toBe(false);
    clock.advance(MINUTE - 1);
    expect(await accrue(1)).toBe(false);
    expect(policy.accruals).toEqual([]);
  });

  it("adds each job's GPU-seconds to its queue and every ancestor, per GPU model", async () => {
    const { accrue, clock, policy } = await setUp();
    await accrue(4);
    clock.advance(MINUTE);
    expect(await accrue(4)).toBe(true);
    expect(policy.accruals).toHaveLength(1);
    expect(policy.accruals[0]).toMatchObject({ fence: 4, asOf: T0 + MINUTE, halfLifeSeconds: 60 });
    const added = [...policy.accruals[0]!.added].sort((a, b) =>
      `${a.queue}/${a.model}`.localeCompare(`${b.queue}/${b.model}`),
    );
    expect(added).toEqual([
      { queue: 'org', model: 'A100-80GB', gpuSeconds: 60 },
      { queue: 'org', model: 'H100-80GB', gpuSeconds: 180 },
      { queue: 'team-a', model: 'H100-80GB', gpuSeconds: 120 },
      { queue: 'team-b', model: 'A100-80GB', gpuSeconds: 60 },
      { queue: 'team-b', model: 'H100-80GB', gpuSeconds: 60 },
    ]);
  });

  it('measures from the last accrual; stored usage decays by the half-life before more is added', async () => {
    const { accrue, clock, policy } = await setUp();
    await accrue(1);
    clock.advance(MINUTE);
    await accrue(1);
    clock.advance(MINUTE / 2);
    expect(await accrue(1)).toBe(false);
    clock.advance(MINUTE / 2);
    expect(await accrue(1)).toBe(true);
    const teamA = (await policy.usage()).find((u) => u.queue === 'team-a');
    expect(teamA).toEqual({
      queue: 'team-a',
      model: 'H100-80GB',
      gpuSeconds: 120 / 2 + 120,
      asOf: T0 + 2 * MINUTE,
    });
  });

  it('starts from a new baseline after a reset (a new term)', async () => {
    const { accrue, accountant, clock, policy } = await setUp();
    await accrue(1);
    accountant.reset();
    clock.advance(MINUTE);
    expect(await accrue(2)).toBe(false);
    expect(policy.accruals).toEqual([]);
  });
});

describe('ancestry', () => {
  it('names a queue and its ancestors, leaf first; an unknown queue alone', () => {
    expect(ancestry('team-a', QUEUES)).toEqual(['team-a', 'org']);
    expect(ancestry('org', QUEUES)).toEqual(['org']);
    expect(ancestry('nope', QUEUES)).toEqual(['nope']);
  });

  it('stops on a cycle', () => {
    const loop = [queue('a', 'b'), queue('b', 'a')];
    expect(ancestry('a', loop)).toHaveLength(16);
  });
});
