import { Reason, type JobDependency } from '@gantry/domain';
import { aPendingJob, anAttempt } from '../testing/job-records';
import { aNode } from '../testing/in-memory-nodes';
import { controlPlaneParts } from '../testing/parts';
import { schedulingParts, submitted } from '../testing/scheduling';

const afterOk = (jobId: string): JobDependency[] => [{ jobId, condition: 'after-ok' }];

async function setUp() {
  const parts = controlPlaneParts();
  const scheduling = schedulingParts(parts);
  parts.nodes.add(aNode('n1', { gpus: 8 }));
  parts.jobs.add(
    aPendingJob('job_parent', { state: 'running', attempt: 1 }),
    anAttempt('job_parent', 1, 'n1', { state: 'running', gpuIndices: [0], lastAgentSequence: 1 }),
  );
  parts.jobs.add(aPendingJob('job_failed', { state: 'failed', endedAt: 500 }));
  return { ...parts, ...scheduling };
}

describe('SchedulingCycle dependencies', () => {
  it('holds a job whose dependencies are not met, with the reason WaitingForDependencies', async () => {
    const parts = await setUp();
    await submitted(parts, aPendingJob('job_child', { dependencies: afterOk('job_parent') }));

    expect(await parts.cycle.run(1)).toEqual({
      considered: 0,
      placed: 0,
      waiting: 1,
      preempted: 0,
    });

    expect(parts.jobs.stateQueries).toEqual([['job_parent']]);
    expect(parts.jobs.commits[0]!.waiting).toEqual([
      {
        jobId: 'job_child',
        reason: Reason.WaitingForDependencies,
        message: 'waiting for job_parent (after-ok, now running)',
      },
    ]);
    expect(parts.jobs.job('job_child')).toMatchObject({
      state: 'pending',
      reason: Reason.WaitingForDependencies,
    });
    // It leaves the pending index, so it takes no place among the heads while it waits, and
    // the reconciler does not put it back while its dependency runs.
    expect(parts.pending.ids()).toEqual([]);
    expect(await parts.jobs.pendingEntries('', 100)).toEqual([]);
    expect(parts.dispatch.enqueued).toEqual([]);
  });

  it('places the job once the job it depends on has succeeded', async () => {
    const parts = await setUp();
    await submitted(parts, aPendingJob('job_child', { dependencies: afterOk('job_parent') }));
    await parts.cycle.run(1);
    const exited = { type: 'exited' as const, exitCode: 0, signal: '', reason: '', message: '' };
    await parts.jobs.applyTaskEvents(
      'n1',
      [{ jobId: 'job_parent', attempt: 1, rank: 0, sequence: 2, report: exited }],
      parts.clock.now(),
      3,
    );
    // Once the dependency has ended, the job is among the entries the reconciler restores.
    const entries = await parts.jobs.pendingEntries('', 100);
    expect(entries.map((e) => e.id)).toEqual(['job_child']);
    await parts.pending.add(
      entries.map((e) => ({ jobId: e.id, priority: e.priority, submittedAt: e.submittedAt })),
    );

    expect(await parts.cycle.run(1)).toMatchObject({ considered: 1, placed: 1 });
    expect(parts.dispatch.orders()).toEqual([
      { kind: 'run', jobId: 'job_child', attempt: 1, rank: 0, nodeId: 'n1' },
    ]);
  });

  it.each([
    [
      'a job that ended the wrong way',
      'job_failed',
      'job_failed ended failed, but this job runs after-ok',
    ],
    ['a job that no longer exists', 'job_missing', 'job_missing no longer exists'],
  ])('cancels a job that depends on %s', async (_name, dependsOn, message) => {
    const parts = await setUp();
    await submitted(
      parts,
      aPendingJob('job_orphan', { dependencies: afterOk(dependsOn) }),
      aPendingJob('job_free'),
    );

    expect(await parts.cycle.run(4)).toEqual({
      considered: 1,
      placed: 1,
      waiting: 0,
      preempted: 0,
    });

    expect(parts.jobs.commits[0]!.dependencyFailures).toEqual([{ jobId: 'job_orphan', message }]);
    expect(parts.jobs.job('job_orphan')).toMatchObject({
      state: 'cancelled',
      reason: Reason.DependencyNeverSatisfied,
      message,
    });
    expect(parts.pending.ids()).toEqual([]);
    expect(parts.signals.jobsChanged).toContain('job_orphan');
    expect(parts.dispatch.orders().map((o) => o.jobId)).toEqual(['job_free']);
  });

  it('asks for no job states when no job has dependencies', async () => {
    const parts = await setUp();
    await submitted(parts, aPendingJob('job_free'));
    await parts.cycle.run(1);
    expect(parts.jobs.stateQueries).toEqual([]);
  });
});
