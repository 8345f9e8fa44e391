import { AbortedError, Reason } from '@gantry/domain';
import { aPendingJob, anAttempt, aShardSpec } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts, T0 } from '../testing/parts';
import { schedulingParts, submitted } from '../testing/scheduling';

const NOTHING = { preemptions: [], nominations: [], dependencyFailures: [] };

function setUp(batchSize = 100) {
  const parts = controlPlaneParts({ schedulerBatchSize: batchSize });
  return { ...parts, ...schedulingParts(parts) };
}

describe('SchedulingCycle', () => {
  it('does nothing, and writes nothing, when the pending index is empty', async () => {
    const { cycle, jobs, dispatch, nodes } = setUp();
    nodes.add(aNode('n1'));
    expect(await cycle.run(1)).toEqual({ considered: 0, placed: 0, waiting: 0, preempted: 0 });
    expect(jobs.commits).toEqual([]);
    expect(dispatch.enqueued).toEqual([]);
  });

  it('places a job by the Gantry policy, enqueues its run order and takes it out of the index', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 4 }));
    await submitted(parts, aPendingJob('job_a', { gpus: 2 }));

    expect(await parts.cycle.run(7)).toEqual({
      considered: 1,
      placed: 1,
      waiting: 0,
      preempted: 0,
    });

    expect(parts.jobs.commits).toEqual([
      {
        fence: 7,
        placements: [
          {
            jobId: 'job_a',
            allocations: [{ nodeId: 'n1', nodeName: 'n1', gpuIndices: [0, 1] }],
            protectedForSeconds: 600, // class batch's minimum runtime
          },
        ],
        waiting: [],
        ...NOTHING,
      },
    ]);
    expect(parts.jobs.job('job_a')).toMatchObject({ state: 'scheduled', attempt: 1 });
    expect(parts.dispatch.orders()).toEqual([
      { kind: 'run', jobId: 'job_a', attempt: 1, rank: 0, nodeId: 'n1' },
    ]);
    expect(parts.pending.ids()).toEqual([]);
    expect(parts.signals.jobsChanged).toContain('job_a');
  });

  it('best-fits: a small job goes to the node it fills, keeping the empty node whole', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n_empty', { gpus: 8 }), aNode('n_busy', { gpus: 8 }));
    parts.jobs.add(
      aPendingJob('job_running', { state: 'running', attempt: 1, gpus: 6 }),
      anAttempt('job_running', 1, 'n_busy', { state: 'running', gpuIndices: [0, 1, 2, 3, 4, 5] }),
    );
    await submitted(parts, aPendingJob('job_small', { gpus: 2 }));
    await parts.cycle.run(1);
    expect(parts.jobs.commits[0]!.placements).toMatchObject([
      { jobId: 'job_small', allocations: [{ nodeId: 'n_busy', gpuIndices: [6, 7] }] },
    ]);
  });

  it("prefers a node where a shard's model is warm, giving it the engine's GPUs", async () => {
    const parts = setUp();
    const warm = aNode('n_warm', { gpus: 8 });
    const engine = { model: 'm', revision: 'main', engine: 'vllm', gpuIndices: [4, 5] };
    parts.nodes.add(aNode('n_busy', { gpus: 8 }), {
      ...warm,
      inventory: { ...warm.inventory, warmEngines: [{ ...engine, busy: false }] },
    });
    parts.jobs.add(
      aPendingJob('job_running', { state: 'running', attempt: 1, gpus: 6 }),
      anAttempt('job_running', 1, 'n_busy', { state: 'running', gpuIndices: [0, 1, 2, 3, 4, 5] }),
    );
    await submitted(
      parts,
      { ...aPendingJob('job_shard'), spec: aShardSpec(2, 'm') },
      aPendingJob('job_plain', { gpus: 2 }),
    );
    await parts.cycle.run(1);
    expect(parts.jobs.commits[0]!.placements).toMatchObject([
      { jobId: 'job_plain', allocations: [{ nodeId: 'n_busy', gpuIndices: [6, 7] }] },
      { jobId: 'job_shard', allocations: [{ nodeId: 'n_warm', gpuIndices: [4, 5] }] },
    ]);
  });

  it('takes only the heads of the index, in priority order', async () => {
    const parts = setUp(2);
    parts.nodes.add(aNode('n1', { gpus: 8 }));
    await submitted(
      parts,
      aPendingJob('job_low', { priority: 10 }),
      aPendingJob('job_high', { priority: 900 }),
      aPendingJob('job_mid', { priority: 500 }),
    );
    expect(await parts.cycle.run(1)).toMatchObject({ considered: 2, placed: 2 });
    expect(parts.dispatch.orders().map((o) => o.jobId)).toEqual(['job_high', 'job_mid']);
    expect(parts.pending.ids()).toEqual(['job_low']);
  });

  it('drops index entries of jobs that are no longer pending, and only those', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 1 }));
    await submitted(
      parts,
      aPendingJob('job_cancelled', { state: 'cancelled' }),
      aPendingJob('job_waiting', { gpus: 2 }),
    );
    await parts.pending.add([{ jobId: 'job_unknown', priority: 100, submittedAt: 0 }]);

    expect(await parts.cycle.run(1)).toEqual({
      considered: 1,
      placed: 0,
      waiting: 1,
      preempted: 0,
    });
    expect(parts.pending.ids()).toEqual(['job_waiting']);
  });

  it('writes a waiting reason once, and nothing on a later cycle with nothing new', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 2 }));
    await submitted(parts, aPendingJob('job_big', { gpus: 4 }));

    await parts.cycle.run(3);
    const reason = {
      jobId: 'job_big',
      reason: Reason.Unschedulable,
      message: 'needs 4 GPUs of H100-80GB on one node; no set of nodes could ever hold it',
    };
    expect(parts.jobs.commits[0]!.waiting).toEqual([reason]);
    expect(parts.jobs.job('job_big')).toMatchObject({ state: 'pending', reason: reason.reason });

    expect(await parts.cycle.run(3)).toEqual({
      considered: 1,
      placed: 0,
      waiting: 1,
      preempted: 0,
    });
    expect(parts.jobs.commits[1]).toEqual({ fence: 3, placements: [], waiting: [], ...NOTHING });
    expect(parts.pending.ids()).toEqual(['job_big']);
    expect(parts.dispatch.enqueued).toEqual([]);
  });

  it('writes the reason again when it changes', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 2 }));
    // Submitted now: a job pending since 1970 would be starving and preempt job_busy (ADR 13).
    await submitted(
      parts,
      aPendingJob('job_a', { gpus: 2, timeLimitSeconds: 60, submittedAt: T0 }),
    );
    parts.jobs.add(
      aPendingJob('job_busy', { state: 'running', attempt: 1 }),
      anAttempt('job_busy', 1, 'n1', { state: 'running', gpuIndices: [0] }),
    );

    await parts.cycle.run(1);
    expect(parts.jobs.commits[0]!.waiting.map((w) => w.reason)).toEqual([Reason.Reserved]);
    parts.nodes.add(aNode('n1', { gpus: 2, state: 'lost' }));
    await parts.cycle.run(1);
    expect(parts.jobs.commits[1]!.waiting).toEqual([
      {
        jobId: 'job_a',
        reason: Reason.Unschedulable,
        message: 'needs 2 GPUs on one node; no node has such GPUs',
      },
    ]);
  });

  it('never hands out GPUs an active attempt holds, nor a lost node', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('lost', { gpus: 8, state: 'lost' }), aNode('n1', { gpus: 2 }));
    parts.jobs.add(
      aPendingJob('job_running', { state: 'running', attempt: 1 }),
      anAttempt('job_running', 1, 'n1', { state: 'running', gpuIndices: [0] }),
    );
    // Submitted now, not starving (ADR 13): job_b waits rather than preempting job_running.
    await submitted(
      parts,
      aPendingJob('job_a', { gpus: 1, submittedAt: T0 }),
      aPendingJob('job_b', { gpus: 1, submittedAt: T0 }),
    );

    expect(await parts.cycle.run(1)).toEqual({
      considered: 2,
      placed: 1,
      waiting: 1,
      preempted: 0,
    });
    expect(parts.jobs.commits[0]!.placements).toMatchObject([
      { jobId: 'job_a', allocations: [{ nodeId: 'n1', nodeName: 'n1', gpuIndices: [1] }] },
    ]);
  });

  it('passes the fence token to commitCycle and lets a stale fence fail the cycle', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 1 }));
    await submitted(parts, aPendingJob('job_a'));
    await parts.jobs.commitCycle(9, { placements: [], waiting: [], ...NOTHING }, 0); // a newer leader wrote
    await expect(parts.cycle.run(8)).rejects.toBeInstanceOf(AbortedError);
    expect(parts.dispatch.enqueued).toEqual([]);
    expect(parts.pending.ids()).toEqual(['job_a']);
    expect(parts.jobs.job('job_a').state).toBe('pending');
  });

  it('accrues fair-share usage with its fence only once the reconcile interval has passed', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 2 }));
    parts.jobs.add(
      aPendingJob('job_running', { state: 'running', attempt: 1, gpus: 2 }),
      anAttempt('job_running', 1, 'n1', { state: 'running', gpuIndices: [0, 1] }),
    );
    await submitted(parts, aPendingJob('job_waiting'));
    const interval = parts.config.reconcileIntervalSeconds * 1000;

    await parts.cycle.run(2); // the first look sets the baseline
    parts.clock.advance(interval - 1);
    await parts.cycle.run(2);
    expect(parts.policy.accruals).toEqual([]);

    parts.clock.advance(1);
    await parts.cycle.run(3);
    const seconds = interval / 1000;
    expect(parts.policy.accruals).toEqual([
      {
        fence: 3,
        added: [{ queue: 'default', model: 'H100-80GB', gpuSeconds: 2 * seconds }],
        asOf: T0 + interval,
        halfLifeSeconds: parts.config.fairShareHalfLifeSeconds,
      },
    ]);
  });
});
