import { Reason } from '@gantry/domain';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts, T0 } from '../testing/parts';
import { schedulingParts, submitted } from '../testing/scheduling';

/** One 1-GPU node running a batch job that started `ranSeconds` ago; a serving job arrives. */
async function setUp(ranSeconds: number) {
  const parts = controlPlaneParts();
  const scheduling = schedulingParts(parts);
  parts.nodes.add(aNode('n1', { gpus: 1 }));
  const started = T0 - ranSeconds * 1000;
  parts.jobs.add(
    aPendingJob('job_batch', { state: 'running', attempt: 1, startedAt: started }),
    anAttempt('job_batch', 1, 'n1', {
      state: 'running',
      createdAt: started,
      startedAt: started,
      gpuIndices: [0],
      lastAgentSequence: 1,
    }),
  );
  await submitted(parts, aPendingJob('job_serve', { priorityClass: 'serving' }));
  return { ...parts, ...scheduling };
}

const PREEMPTION_MESSAGE = 'preempted for job_serve: a serving job needs its GPUs';

describe('SchedulingCycle preemption', () => {
  it('stops a batch job past its minimum runtime for a serving job, with the class grace period', async () => {
    const parts = await setUp(700); // batch's minimum runtime is 600 s
    const batch = (await parts.policy.listClasses()).find((c) => c.name === 'batch')!;
    await parts.policy.putClass({ ...batch, gracePeriodSeconds: 45 });

    expect(await parts.cycle.run(5)).toEqual({
      considered: 1,
      placed: 0,
      waiting: 1,
      preempted: 1,
    });

    const commit = parts.jobs.commits[0]!;
    expect(commit.fence).toBe(5);
    expect(commit.preemptions).toEqual([
      { jobId: 'job_batch', attempt: 1, message: PREEMPTION_MESSAGE },
    ]);
    expect(commit.nominations).toEqual([{ jobId: 'job_serve', nodeIds: ['n1'] }]);
    expect(commit.waiting).toEqual([
      {
        jobId: 'job_serve',
        reason: Reason.Preempting,
        message: 'preempting job_batch on n1; starts when they stop (within 45s)',
      },
    ]);
    expect(parts.dispatch.orders()).toEqual([
      {
        kind: 'stop',
        jobId: 'job_batch',
        attempt: 1,
        rank: 0,
        nodeId: 'n1',
        graceSeconds: 45,
        reason: Reason.Preempted,
      },
    ]);
    expect(parts.jobs.job('job_batch')).toMatchObject({
      state: 'running',
      reason: Reason.Preempted,
      message: PREEMPTION_MESSAGE,
    });
    expect(parts.jobs.attemptsOf('job_batch')[0]?.stopReason).toBe('Preempted');
    expect(parts.jobs.history.get('job_batch')).toEqual([
      expect.objectContaining({ type: 'notice', reason: Reason.Preempted, attempt: 1 }),
    ]);
    expect(parts.jobs.job('job_serve').nominatedNodeIds).toEqual(['n1']);
    expect(parts.signals.jobsChanged).toContain('job_batch');
  });

  it('waits for the stopping job without a second stop order, then starts on the nominated node', async () => {
    const parts = await setUp(700);
    await parts.cycle.run(1);
    parts.dispatch.enqueued.length = 0;

    expect(await parts.cycle.run(1)).toMatchObject({ placed: 0, preempted: 0 });
    expect(parts.dispatch.enqueued).toEqual([]);
    expect(parts.jobs.commits[1]!.waiting).toEqual([
      {
        jobId: 'job_serve',
        reason: Reason.Preempting,
        message: 'waiting for jobs already stopping on n1',
      },
    ]);

    const exited = {
      type: 'exited' as const,
      exitCode: 143,
      signal: 'SIGTERM',
      reason: '',
      message: '',
    };
    const { changed } = await parts.jobs.applyTaskEvents(
      'n1',
      [{ jobId: 'job_batch', attempt: 1, rank: 0, sequence: 2, report: exited }],
      parts.clock.now(),
      3,
    );
    await parts.effects.changed(changed);
    expect(parts.jobs.job('job_batch')).toMatchObject({ state: 'pending', preemptions: 1 });

    expect(await parts.cycle.run(1)).toMatchObject({ placed: 1, waiting: 1 });
    expect(parts.jobs.commits[2]!.placements).toMatchObject([
      {
        jobId: 'job_serve',
        allocations: [{ nodeId: 'n1', gpuIndices: [0] }],
        protectedForSeconds: 0,
      },
    ]);
    expect(parts.jobs.job('job_serve').nominatedNodeIds).toEqual([]);
    expect(parts.pending.ids()).toEqual(['job_batch']);
  });

  it('leaves a batch job alone before its minimum runtime', async () => {
    const parts = await setUp(100);
    expect(await parts.cycle.run(1)).toMatchObject({ placed: 0, waiting: 1, preempted: 0 });
    expect(parts.jobs.commits[0]!.preemptions).toEqual([]);
    expect(parts.dispatch.enqueued).toEqual([]);
    expect(parts.jobs.attemptsOf('job_batch')[0]?.stopReason).toBe('');
    expect(parts.jobs.job('job_serve').reason).not.toBe(Reason.Preempting);
  });
});
