import { parseJobSpec } from '@gantry/domain';
import { engineModelKey } from '@gantry/scheduling';
import type { ActiveAttempt, UsageRecord } from '@gantry/store';
import { aPendingJob, anAttempt, aShardSpec } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { DEFAULT_QUEUE } from '../testing/in-memory-policy';
import { controlPlaneParts, T0 } from '../testing/parts';
import { RuntimeEstimates } from './runtime-estimates.service';
import {
  decayedUsage,
  jobsThatRanBefore,
  SnapshotBuilder,
  type SnapshotInput,
} from './snapshot-builder';

const HOUR = 3600;

function setUp() {
  const parts = controlPlaneParts({
    defaultRuntimeSeconds: HOUR,
    fairShareHalfLifeSeconds: HOUR,
    schedulerBatchSize: 77,
  });
  const builder = new SnapshotBuilder(parts.config, new RuntimeEstimates(parts.jobs, parts.config));
  return { ...parts, builder };
}

function input(fields: Partial<SnapshotInput>): SnapshotInput {
  return {
    now: T0,
    nodes: [],
    active: [],
    pending: [],
    queues: [],
    classes: [],
    usage: [],
    ...fields,
  };
}

/** A running attempt of a job that started `ago` ms before T0 on n1. */
function active(
  id: string,
  ago: number,
  job: Parameters<typeof aPendingJob>[1] = {},
  attempt = {},
): ActiveAttempt {
  return {
    job: aPendingJob(id, { state: 'running', attempt: 1, ...job }),
    attempt: anAttempt(id, 1, 'n1', {
      state: 'running',
      startedAt: T0 - ago,
      gpuIndices: [3],
      ...attempt,
    }),
    tenantName: 'alice',
  };
}

describe('SnapshotBuilder', () => {
  it('takes nodes with their labels and GPUs, schedulable only when ready', () => {
    const { builder } = setUp();
    const snapshot = builder.build(
      input({
        nodes: [
          aNode('n1', { gpus: 2, labels: { 'gantry.io/fabric': 'ib-1' } }),
          aNode('n2', { gpus: 1, model: 'A100-80GB', state: 'lost' }),
        ],
      }),
    );
    expect(snapshot.nodes).toEqual([
      {
        id: 'n1',
        name: 'n1',
        labels: { 'gantry.io/fabric': 'ib-1' },
        schedulable: true,
        gpus: [
          { index: 0, model: 'H100-80GB' },
          { index: 1, model: 'H100-80GB' },
        ],
        warmEngines: [],
      },
      {
        id: 'n2',
        name: 'n2',
        labels: {},
        schedulable: false,
        gpus: [{ index: 0, model: 'A100-80GB' }],
        warmEngines: [],
      },
    ]);
  });

  it("expects running jobs to end by their estimates and gives them their node's GPU model", () => {
    const { builder } = setUp();
    const snapshot = builder.build(
      input({
        nodes: [aNode('n1', { gpus: 4, model: 'A100-80GB' })],
        active: [
          active('job_limited', 100_000, { timeLimitSeconds: 600 }),
          active('job_default', 1_000_000),
          active(
            'job_dispatching',
            0,
            {},
            { state: 'dispatching', startedAt: null, createdAt: T0 - 5_000 },
          ),
        ],
      }),
    );
    expect(snapshot.running.map((r) => [r.id, r.startedAt, r.expectedEndAt, r.gpuModel])).toEqual([
      ['job_limited', T0 - 100_000, T0 + 500_000, 'A100-80GB'],
      ['job_default', T0 - 1_000_000, T0 + 2_600_000, 'A100-80GB'],
      ['job_dispatching', T0 - 5_000, T0 + 3_595_000, 'A100-80GB'],
    ]);
    expect(snapshot.running[0]).toMatchObject({
      queue: 'default',
      tenant: 'ten_a',
      priorityClass: 'batch',
      shape: { nodes: 1, gpusPerNode: 1, gpuModel: null },
      allocations: [{ nodeId: 'n1', gpuIndices: [3] }],
    });
  });

  it('marks preempted and cancelling jobs as stopping, and carries checkpoints, protection and priority', () => {
    const { builder } = setUp();
    const snapshot = builder.build(
      input({
        active: [
          active('job_running', 1_000, {
            lastCheckpointAt: T0 - 500,
            protectedUntil: T0 + 9_000,
            priority: 250,
          }),
          active('job_preempted', 1_000, {}, { stopReason: 'Preempted' }),
          active('job_cancelling', 1_000, { state: 'cancelling' }),
        ],
      }),
    );
    expect(snapshot.running.map((r) => [r.id, r.stopping])).toEqual([
      ['job_running', false],
      ['job_preempted', true],
      ['job_cancelling', true],
    ]);
    expect(snapshot.running[0]).toMatchObject({
      lastCheckpointAt: T0 - 500,
      protectedUntil: T0 + 9_000,
      priority: 250, // an interruptible lease's bid: a higher bid may outbid it (ADR 12)
    });
  });

  it('takes pending jobs with their runtime estimates and nominated nodes', () => {
    const { builder } = setUp();
    const snapshot = builder.build(
      input({
        pending: [
          aPendingJob('job_a', {
            gpus: 2,
            gpuModel: 'H100-80GB',
            priority: 300,
            queue: 'rl',
            priorityClass: 'rl-rollout',
            timeLimitSeconds: 120,
            nominatedNodeIds: ['n2'],
          }),
          aPendingJob('job_b'),
        ],
      }),
    );
    expect(snapshot.pending).toEqual([
      {
        id: 'job_a',
        queue: 'rl',
        tenant: 'ten_a',
        priorityClass: 'rl-rollout',
        priority: 300,
        submittedAt: 1_000,
        waitingSince: 1_000,
        shape: { nodes: 1, gpusPerNode: 2, gpuModel: 'H100-80GB' },
        estimatedRuntimeSeconds: 120,
        nominatedNodeIds: ['n2'],
        engineModelKey: null,
      },
      expect.objectContaining({ id: 'job_b', estimatedRuntimeSeconds: HOUR, nominatedNodeIds: [] }),
    ]);
  });

  it('keeps the objects of the jobs, nodes and classes that did not change since the last build', () => {
    const { builder } = setUp();
    const records = {
      nodes: [aNode('n1', { gpus: 4 })],
      active: [active('job_r', 1_000)],
      pending: [aPendingJob('job_a'), aPendingJob('job_b', { nominatedNodeIds: ['n1'] })],
      classes: [
        {
          name: 'batch',
          priority: 10,
          preemptible: true,
          minRuntimeSeconds: 0,
          gracePeriodSeconds: 30,
        },
      ],
    };
    const first = builder.build(input(records));
    const again = builder.build(input(records));
    expect(again.nodes).toBe(first.nodes);
    expect(again.classes).toBe(first.classes);
    expect(again.running[0]).toBe(first.running[0]);
    expect(again.pending[0]).toBe(first.pending[0]);
    expect(again.pending[1]).toBe(first.pending[1]);
    // A job whose fields changed (nominated nodes, a stop, a node's label) is a new object,
    // equal to what a first build makes.
    const changed = builder.build(
      input({
        ...records,
        nodes: [aNode('n1', { gpus: 4, labels: { zone: 'b' } })],
        active: [active('job_r', 1_000, {}, { stopReason: 'Preempted' })],
        pending: [aPendingJob('job_a'), aPendingJob('job_b', { nominatedNodeIds: ['n2'] })],
      }),
    );
    expect(changed.pending[0]).toBe(first.pending[0]);
    expect(changed.pending[1]).not.toBe(first.pending[1]);
    expect(changed.pending[1]!.nominatedNodeIds).toEqual(['n2']);
    expect(changed.running[0]).not.toBe(first.running[0]);
    expect(changed.running[0]!.stopping).toBe(true);
    expect(changed.nodes).not.toBe(first.nodes);
    expect(changed.nodes[0]!.labels).toEqual({ zone: 'b' });
    expect(changed.classes).toBe(first.classes);
  });

  it('counts the run time of earlier attempts as not waiting (aging), from the store', async () => {
    const { builder, jobs } = setUp();
    // job_p ran 2 h in attempt 1 and 30 min in attempt 2 (both preempted); it is pending again.
    const preempted = aPendingJob('job_p', { attempt: 2 });
    jobs.add(
      preempted,
      anAttempt('job_p', 1, 'n1', {
        state: 'preempted',
        startedAt: 10_000,
        endedAt: 10_000 + 2 * HOUR * 1000,
      }),
      anAttempt('job_p', 2, 'n1', {
        state: 'preempted',
        startedAt: 50_000_000,
        endedAt: 50_000_000 + 1_800_000,
      }),
      // Never started (its dispatch failed): it ran nothing.
      anAttempt('job_p', 3, 'n1', { state: 'preempted', startedAt: null, endedAt: 60_000_000 }),
    );
    const restarted = active('job_r', 60_000, { attempt: 2 }, { number: 2 });
    jobs.add(
      restarted.job,
      anAttempt('job_r', 1, 'n1', { state: 'preempted', startedAt: 2_000, endedAt: 602_000 }),
    );
    const fresh = aPendingJob('job_f');
    const ids = jobsThatRanBefore([preempted, fresh], [restarted, active('job_once', 1)]);
    expect(ids).toEqual(['job_p', 'job_r']);
    const ranSeconds = await jobs.earlierRunSeconds(ids);
    expect(ranSeconds).toEqual(
      new Map([
        ['job_p', 2.5 * HOUR],
        ['job_r', 600],
      ]),
    );
    const snapshot = builder.build(
      input({ pending: [preempted, fresh], active: [restarted], ranSeconds }),
    );
    expect(snapshot.pending.map((j) => [j.id, j.submittedAt, j.waitingSince])).toEqual([
      ['job_p', 1_000, 1_000 + 2.5 * HOUR * 1000],
      ['job_f', 1_000, 1_000],
    ]);
    expect(snapshot.running[0]).toMatchObject({ id: 'job_r', waitingSince: 1_000 + 600_000 });
  });

  it("takes the nodes' warm engines by model key, and the engine each pending job runs on", () => {
    const { builder } = setUp();
    const node = aNode('n1', { gpus: 4 });
    const engine = (model: string, revision: string, gpuIndices: number[], busy: boolean) => ({
      model,
      revision,
      engine: 'vllm',
      gpuIndices,
      busy,
    });
    const warm = {
      ...node,
      inventory: {
        ...node.inventory,
        warmEngines: [engine('m', 'main', [0, 1], false), engine('q', 'v2', [3], true)],
      },
    };
    const reasoning = parseJobSpec({
      resources: { gpus: 1 },
      inference_reasoning: {
        model: 'q',
        revision: 'v2',
        question: 'What is 17 * 23?',
        steps: [{ id: 'a', sample: { prompt: '{{question}}' } }],
      },
    });
    const snapshot = builder.build(
      input({
        nodes: [warm, aNode('n2')],
        pending: [
          { ...aPendingJob('job_shard'), spec: aShardSpec(2, 'm') },
          { ...aPendingJob('job_reasoning'), spec: reasoning },
          aPendingJob('job_plain'),
        ],
      }),
    );
    expect(snapshot.nodes.map((n) => n.warmEngines)).toEqual([
      [
        { modelKey: engineModelKey('m', 'main'), gpuIndices: [0, 1], busy: false },
        { modelKey: engineModelKey('q', 'v2'), gpuIndices: [3], busy: true },
      ],
      [],
    ]);
    expect(snapshot.pending.map((j) => [j.id, j.engineModelKey])).toEqual([
      ['job_shard', engineModelKey('m', 'main')],
      ['job_reasoning', engineModelKey('q', 'v2')],
      ['job_plain', null],
    ]);
  });

  it('decays stored usage to now by the half-life, summed per queue and model', () => {
    const { builder, config } = setUp();
    const usage: UsageRecord[] = [
      { queue: 'rl', model: 'H100-80GB', gpuSeconds: 800, asOf: T0 - HOUR * 1000 },
      { queue: 'rl', model: 'H100-80GB', gpuSeconds: 100, asOf: T0 },
      { queue: 'rl', model: 'A100-80GB', gpuSeconds: 400, asOf: T0 - 2 * HOUR * 1000 },
      { queue: 'org', model: 'H100-80GB', gpuSeconds: 30, asOf: T0 + 60_000 }, // ahead: as is
    ];
    const snapshot = builder.build(input({ usage, queues: [DEFAULT_QUEUE] }));
    expect(snapshot.usage).toEqual(
      new Map([
        ['rl', { 'H100-80GB': 500, 'A100-80GB': 100 }],
        ['org', { 'H100-80GB': 30 }],
      ]),
    );
    expect(decayedUsage(usage, T0 + HOUR * 1000, HOUR).get('rl')).toEqual({
      'H100-80GB': 250,
      'A100-80GB': 50,
    });
    expect(snapshot.queues).toEqual([DEFAULT_QUEUE]);
    expect(snapshot.config).toEqual({
      fabricLabel: config.fabricLabel,
      fairShareHalfLifeSeconds: HOUR,
      maxReservations: config.maxReservations,
      maxConsidered: 77,
      maxPreemptionsPerCycle: config.maxPreemptionsPerCycle,
      maxPreemptionsPerJob: config.maxPreemptionsPerJob,
      preemptAfterWaitSeconds: config.preemptAfterWaitSeconds,
      starvationAgeSeconds: config.starvationAgeSeconds,
      opportunisticBelowPriority: config.opportunisticBelowPriority,
      backfill: config.backfill,
      preemption: config.preemption,
    });
  });
});
