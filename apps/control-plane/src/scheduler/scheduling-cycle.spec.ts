import { AbortedError, Reason, type JobRecord } from '@gantry/domain';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts, type ControlPlaneParts } from '../testing/parts';
import { SchedulingCycle } from './scheduling-cycle';

function setUp(batchSize = 100) {
  const parts = controlPlaneParts({ schedulerBatchSize: batchSize });
  const cycle = new SchedulingCycle(
    parts.pending,
    parts.dispatch,
    parts.jobs,
    parts.nodes,
    parts.config,
    parts.clock,
    parts.logger,
    parts.effects,
    parts.metrics,
  );
  return { ...parts, cycle };
}

/** Records the job and puts it in the pending index, as a submit does. */
async function submitted(parts: ControlPlaneParts, ...jobs: JobRecord[]): Promise<void> {
  for (const job of jobs) parts.jobs.add(job);
  await parts.pending.add(
    jobs.map((j) => ({ jobId: j.id, priority: j.spec.priority, submittedAt: j.submittedAt })),
  );
}

describe('SchedulingCycle', () => {
  it('does nothing, and writes nothing, when the pending index is empty', async () => {
    const { cycle, jobs, dispatch, nodes } = setUp();
    nodes.add(aNode('n1'));
    expect(await cycle.run(1)).toEqual({ considered: 0, placed: 0, waiting: 0 });
    expect(jobs.commits).toEqual([]);
    expect(dispatch.enqueued).toEqual([]);
  });

  it('places a job on a node, enqueues its run order and takes it out of the index', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 4 }));
    await submitted(parts, aPendingJob('job_a', { gpus: 2 }));

    expect(await parts.cycle.run(7)).toEqual({ considered: 1, placed: 1, waiting: 0 });

    expect(parts.jobs.commits).toEqual([
      {
        fence: 7,
        placements: [{ jobId: 'job_a', nodeId: 'n1', nodeName: 'n1', gpuIndices: [0, 1] }],
        waiting: [],
      },
    ]);
    expect(parts.jobs.job('job_a')).toMatchObject({ state: 'scheduled', attempt: 1 });
    expect(parts.dispatch.orders()).toEqual([
      { kind: 'run', jobId: 'job_a', attempt: 1, nodeId: 'n1' },
    ]);
    expect(parts.pending.ids()).toEqual([]);
    expect(parts.signals.jobsChanged).toContain('job_a');
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

    expect(await parts.cycle.run(1)).toEqual({ considered: 1, placed: 0, waiting: 1 });
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
      message: 'needs 4 GPUs on one node; the largest node has 2',
    };
    expect(parts.jobs.commits[0]!.waiting).toEqual([reason]);
    expect(parts.jobs.job('job_big')).toMatchObject({ state: 'pending', reason: reason.reason });

    expect(await parts.cycle.run(3)).toEqual({ considered: 1, placed: 0, waiting: 1 });
    expect(parts.jobs.commits[1]).toEqual({ fence: 3, placements: [], waiting: [] });
    expect(parts.pending.ids()).toEqual(['job_big']);
    expect(parts.dispatch.enqueued).toEqual([]);
  });

  it('writes the reason again when it changes', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 2 }));
    await submitted(parts, aPendingJob('job_a', { gpus: 2 }));
    parts.jobs.add(
      aPendingJob('job_busy', { state: 'running', attempt: 1 }),
      anAttempt('job_busy', 1, 'n1', { state: 'running', gpuIndices: [0] }),
    );

    await parts.cycle.run(1);
    expect(parts.jobs.commits[0]!.waiting.map((w) => w.reason)).toEqual([
      Reason.WaitingForResources,
    ]);
    parts.nodes.add(aNode('n1', { gpus: 2, state: 'lost' }));
    await parts.cycle.run(1);
    expect(parts.jobs.commits[1]!.waiting).toEqual([
      {
        jobId: 'job_a',
        reason: Reason.WaitingForResources,
        message: 'no schedulable node is registered',
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
    await submitted(parts, aPendingJob('job_a', { gpus: 1 }), aPendingJob('job_b', { gpus: 1 }));

    expect(await parts.cycle.run(1)).toEqual({ considered: 2, placed: 1, waiting: 1 });
    expect(parts.jobs.commits[0]!.placements).toEqual([
      { jobId: 'job_a', nodeId: 'n1', nodeName: 'n1', gpuIndices: [1] },
    ]);
  });

  it('passes the fence token to commitCycle and lets a stale fence fail the cycle', async () => {
    const parts = setUp();
    parts.nodes.add(aNode('n1', { gpus: 1 }));
    await submitted(parts, aPendingJob('job_a'));
    await parts.jobs.commitCycle(9, [], [], 0); // a newer leader wrote
    await expect(parts.cycle.run(8)).rejects.toBeInstanceOf(AbortedError);
    expect(parts.dispatch.enqueued).toEqual([]);
    expect(parts.pending.ids()).toEqual(['job_a']);
    expect(parts.jobs.job('job_a').state).toBe('pending');
  });
});
