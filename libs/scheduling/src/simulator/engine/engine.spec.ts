import { DEFAULT_POLICY_CONFIG, DEFAULT_PRIORITY_CLASSES, type ClusterSnapshot } from '../../model';
import { createFifoPolicy } from '../../policies/fifo';
import { buildCluster } from '../cluster/build-nodes';
import { parseClusterSpec } from '../cluster/cluster-spec';
import { on, runSmall, scripted, simJob } from '../testing/sim-fixtures';
import { buildQueues } from '../workload/queues';
import { PolicyViolationError, PreemptionStormError } from './apply-decision';
import { runEngine } from './engine';
import type { Submitter } from './types';

describe('engine: preemption and lost work', () => {
  // One GPU. v (batch: grace 60 s, min runtime 600 s) runs from 0 for 1000 s of work,
  // checkpointing every 300 s. p arrives at 700; the policy preempts v for it. v stops at 760
  // with 600 s kept, 160 s lost; p runs 760-860; v restarts at 860 with 400 s left.
  const seen: ClusterSnapshot[] = [];
  const policy = scripted((snapshot) => {
    seen.push(snapshot);
    const [running] = snapshot.running;
    const p = snapshot.pending.find((j) => j.id === 'p');
    const next = p ?? snapshot.pending[0];
    if (!running && next) return { placements: [on(next.id, 'node-0001', [0])] };
    if (running?.id === 'v' && !running.stopping && p)
      return {
        preemptions: [
          { jobId: 'v', forJobId: 'p', cause: 'Priority', gracePeriodSeconds: 60, message: '' },
        ],
      };
    return {};
  });
  const result = runSmall({
    cluster: '1x1xV100',
    policy,
    checkpointIntervalSeconds: 300,
    jobs: [simJob('v', 0, 1000, 1), simJob('p', 700, 100, 1), simJob('w', 900, 10, 1)],
  });
  const v = result.records.find((r) => r.id === 'v')!;

  it('keeps the work up to the last checkpoint and counts the rest, grace included, as lost', () => {
    expect(v.runs.map((r) => [r.startAt, r.endAt, r.preempted])).toEqual([
      [0, 760, true],
      [860, 1260, false],
    ]);
    expect(v.preemptions).toBe(1);
    expect(v.lostGpuSeconds).toBe(160);
    expect(v.waitSeconds).toBe(1260 - 760 - 400);
    expect(result.preemptions).toBe(1);
    expect(result.records.find((r) => r.id === 'p')!.runs.map((r) => [r.startAt, r.endAt])).toEqual(
      [[760, 860]],
    );
  });

  it('shows the policy estimates, checkpoints, stopping and protection, never true durations', () => {
    const at = (seconds: number) => seen.find((s) => s.now === seconds * 1000)!;
    const preempting = at(700).running[0]!;
    expect(preempting).toMatchObject({
      id: 'v',
      startedAt: 0,
      lastCheckpointAt: 600_000,
      stopping: false,
    });
    expect(preempting.expectedEndAt).toBe(3600 * 1000); // the default estimate, not 1000 s
    expect(at(700).pending[0]!.estimatedRuntimeSeconds).toBe(3600);
    // The stop at 760 frees the GPU: p starts, v waits with the estimate of its remaining work.
    expect(at(760).pending.map((j) => [j.id, j.estimatedRuntimeSeconds])).toEqual([
      ['v', 3600 - 600],
      ['p', 3600],
    ]);
    // Restarted after a preemption: protected for the class's minimum runtime (600 s).
    const restarted = at(900).running[0]!;
    expect(restarted).toMatchObject({ id: 'v', startedAt: 860_000, lastCheckpointAt: null });
    expect(restarted.protectedUntil).toBe((860 + 600) * 1000);
    expect(restarted.expectedEndAt).toBe((860 + 3600 - 600) * 1000);
  });

  it('shows a pending job waiting since its submit time plus its earlier run time (aging)', () => {
    const at = (seconds: number) => seen.find((s) => s.now === seconds * 1000)!;
    // p has never run: it waits since it was submitted.
    expect(at(700).pending.find((j) => j.id === 'p')).toMatchObject({
      submittedAt: 700_000,
      waitingSince: 700_000,
    });
    // v ran 0-760 (grace included): back in the queue, it has waited since 760 s after its
    // submit, not since 0, so it does not look starving for time it spent on GPUs.
    expect(at(760).pending.find((j) => j.id === 'v')).toMatchObject({
      submittedAt: 0,
      waitingSince: 760_000,
    });
    // Restarted at 860 after 100 s more of waiting: it waited 100 s for this attempt.
    expect(at(900).running[0]).toMatchObject({ startedAt: 860_000, waitingSince: 760_000 });
  });
});

describe('engine: invariants', () => {
  it('ends every job exactly once', () => {
    const jobs = Array.from({ length: 40 }, (_, i) =>
      simJob(`j${i}`, i * 7, 30 + ((i * 37) % 200), 1 + (i % 5), { nodeSize: 4 }),
    );
    const result = runSmall({ cluster: '2x4xV100', policy: createFifoPolicy(), jobs });
    expect(result.records.map((r) => r.id)).toEqual(jobs.map((j) => j.id));
    expect(result.unfinished).toEqual([]);
    for (const record of result.records)
      expect(record.endAt - record.firstStartAt).toBe(record.duration);
  });

  it('reports jobs a policy never places as unfinished', () => {
    const result = runSmall({
      cluster: '1x1xV100',
      policy: scripted(() => ({})),
      jobs: [simJob('a', 0, 10, 1)],
    });
    expect(result.records).toEqual([]);
    expect(result.unfinished).toEqual(['a']);
  });

  it('passes nominations back on the pending job until it starts', () => {
    const seen: ClusterSnapshot[] = [];
    const steps: Parameters<typeof scripted>[0][] = [
      () => ({ nominations: [{ jobId: 'b', nodeIds: ['node-0001'] }] }), // t=0
      () => ({}), // t=2: b keeps its nomination
      () => ({ placements: [on('b', 'node-0001', [0])] }), // t=5: b starts
      () => ({
        preemptions: [
          { jobId: 'b', forJobId: 'c', cause: 'Priority', gracePeriodSeconds: 60, message: '' },
        ],
      }), // t=9
      () => ({}), // t=69: b is back, without the old nomination
    ];
    const policy = scripted((snapshot) => {
      seen.push(snapshot);
      return steps[seen.length - 1]?.(snapshot) ?? {};
    });
    runSmall({
      cluster: '1x1xV100',
      policy,
      jobs: [
        simJob('b', 0, 100, 1),
        simJob('e', 2, 1, 1),
        simJob('c', 5, 1, 1),
        simJob('d', 9, 1, 1),
      ],
    });
    expect(
      seen
        .slice(0, 5)
        .map((s) => [s.now / 1000, s.pending.find((j) => j.id === 'b')?.nominatedNodeIds]),
    ).toEqual([
      [0, undefined],
      [2, ['node-0001']],
      [5, ['node-0001']],
      [9, undefined],
      [69, undefined],
    ]);
    expect(seen[4]!.pending.map((j) => j.id)).toContain('b');
  });
});

describe('engine: a preemption storm stops the replay', () => {
  it('throws once the policy has preempted more than the limit', () => {
    // Two jobs that take the only GPU from each other whenever the other has run its minimum
    // runtime (batch: 600 s, then 60 s of grace); without checkpoints neither ever finishes.
    const policy = scripted((snapshot) => {
      const [running] = snapshot.running;
      const [waiting] = snapshot.pending;
      if (!running && waiting) return { placements: [on(waiting.id, 'node-0001', [0])] };
      if (running && !running.stopping && waiting)
        return {
          preemptions: [
            {
              jobId: running.id,
              forJobId: waiting.id,
              cause: 'Priority',
              gracePeriodSeconds: 0,
              message: '',
            },
          ],
        };
      return {};
    }, 'ping-pong');
    const jobs = [
      simJob('a', 0, 1000, 1, { cls: 'batch' }),
      simJob('b', 0, 1000, 1, { cls: 'batch' }),
    ];
    expect(() => runSmall({ cluster: '1x1xV100', policy, jobs })).toThrow(PreemptionStormError);
    expect(() => runSmall({ cluster: '1x1xV100', policy, jobs })).toThrow(
      /policy 'ping-pong' preempted 111 times by t=\d+s with 0 of 2 jobs ended/,
    );
  });
});

describe('engine: a policy that breaks the rules is caught', () => {
  const jobs = [simJob('a', 0, 10, 2), simJob('b', 0, 10, 2)];
  const run = (decide: Parameters<typeof scripted>[0], cluster = '2x4xV100/1', extra = jobs) =>
    runSmall({ cluster, policy: scripted(decide, 'bad'), jobs: extra });

  it.each<[string, Parameters<typeof scripted>[0], RegExp]>([
    [
      'a GPU given twice in one decision',
      () => ({ placements: [on('a', 'node-0001', [0, 1]), on('b', 'node-0001', [1, 2])] }),
      /gives GPU node-0001\/1 to b, but it is held \(given twice\)/,
    ],
    [
      'a GPU that does not exist',
      () => ({ placements: [on('a', 'node-0001', [3, 4])] }),
      /GPU node-0001\/4, which does not exist/,
    ],
    [
      'the wrong GPU count',
      () => ({ placements: [on('a', 'node-0001', [0])] }),
      /with 1 GPUs on node-0001/,
    ],
    [
      'a job placed twice',
      () => ({ placements: [on('a', 'node-0001', [0, 1]), on('a', 'node-0002', [0, 1])] }),
      /places a twice/,
    ],
    [
      'an unknown job',
      () => ({ placements: [on('zz', 'node-0001', [0])] }),
      /places zz, which is not pending/,
    ],
    [
      'a preemption of a job that is not running',
      () => ({
        preemptions: [
          { jobId: 'a', forJobId: 'b', cause: 'Priority', gracePeriodSeconds: 0, message: '' },
        ],
      }),
      /preempts a, which is not running/,
    ],
  ])('%s', (_, decide, message) => {
    expect(() => run(decide)).toThrow(PolicyViolationError);
    expect(() => run(decide)).toThrow(message);
  });

  it('a GPU held by a running job given again in a later cycle', () => {
    let cycle = 0;
    expect(() =>
      run(
        () => ({ placements: [on(cycle++ === 0 ? 'a' : 'b', 'node-0001', [0, 1])] }),
        '1x4xV100',
        [simJob('a', 0, 10, 2), simJob('b', 5, 10, 2)],
      ),
    ).toThrow(/policy 'bad' at t=5s: gives GPU node-0001\/0 to b, but it is held/);
  });

  it('a gang that is not all or nothing, or spans fabric domains', () => {
    const gang = [simJob('g', 0, 10, 8, { nodeSize: 4 })];
    const half = {
      jobId: 'g',
      allocations: [{ nodeId: 'node-0001', nodeName: 'node-0001', gpuIndices: [0, 1, 2, 3] }],
      borrowing: false,
    };
    expect(() => run(() => ({ placements: [half] }), '2x4xV100/1', gang)).toThrow(
      /on 1 node\(s\): a gang is all or nothing/,
    );
    const split = {
      ...half,
      allocations: [
        ...half.allocations,
        { nodeId: 'node-0002', nodeName: 'node-0002', gpuIndices: [0, 1, 2, 3] },
      ],
    };
    expect(() => run(() => ({ placements: [split] }), '2x4xV100/1', gang)).toThrow(
      /across 2 fabric domains/,
    );
    expect(() => run(() => ({ placements: [split] }), '2x4xV100/2', gang)).not.toThrow();
  });
});

describe('engine: submitters', () => {
  const submitting = (job: ReturnType<typeof simJob>, at: number): Submitter => {
    let done = false;
    return {
      nextAt: () => (done ? Infinity : at),
      act: () => {
        done = true;
        return [job];
      },
    };
  };
  const run = (submitter: Submitter) =>
    runEngine({
      jobs: [simJob('a', 0, 100, 1)],
      nodes: buildCluster(parseClusterSpec('1x2xV100'), 'gantry.io/fabric').nodes,
      queues: buildQueues(new Map([['x', 1]]), { 'V100-32GB': 2 }),
      classes: DEFAULT_PRIORITY_CLASSES,
      policy: createFifoPolicy(),
      config: DEFAULT_POLICY_CONFIG,
      checkpointIntervalSeconds: 0,
      cpuTimeMs: () => 0,
      submitter,
    });

  it("replays the jobs a submitter hands in like the trace's, recorded after them", () => {
    const result = run(submitting(simJob('late', 30, 50, 2), 30));
    expect(result.records.map((r) => [r.id, r.firstStartAt, r.endAt])).toEqual([
      ['a', 0, 100],
      ['late', 100, 150],
    ]);
  });

  it.each([
    [simJob('late', 31, 50, 1), 'submitter: job late is submitted at 31, not now (30)'],
    [simJob('a', 30, 50, 1), 'submitter: job id a is taken'],
    [simJob('late', 30, 50, 1, { cls: 'nope' }), 'job late: unknown priority class nope'],
  ])('refuses a job it cannot replay: %s', (job, message) => {
    expect(() => run(submitting(job, 30))).toThrow(message);
  });
});
