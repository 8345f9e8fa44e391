import { Attempt, AttemptState, Job, JobState } from '@gantry/proto';
import { checkDemo } from './demo-check';
import { summarize, renderSummary } from './demo-summary';
import { firstObservation, observe, type Observation } from './demo-tracker';
import { fillerJobs, mainJobs, type DemoJob, type DemoRole } from './demo-workload';

const t0 = Date.parse('2026-11-29T12:00:00Z');

function demoJob(role: DemoRole, name: string = role, gpus = 1, nodes = 1): DemoJob {
  return { name, role, gpus, nodes, spec: {} };
}

function done(id: string, startS: number, endS: number, overrides: Partial<Job> = {}): Job {
  return {
    ...Job.fromPartial({
      id,
      state: JobState.JOB_STATE_SUCCEEDED,
      attempt: 1,
      attempts: [{ number: 1, state: AttemptState.ATTEMPT_STATE_SUCCEEDED }],
      startTime: new Date(t0 + startS * 1000),
      endTime: new Date(t0 + endS * 1000),
      progress: 1,
      exitCode: 0,
    }),
    ...overrides,
  };
}

/** A run that went as expected: the big job waited, a small one overtook it, the failure failed. */
function healthyRun(): Observation[] {
  const pendingBig = Job.fromPartial({
    id: 'j-big',
    state: JobState.JOB_STATE_PENDING,
    reason: 'WaitingForResources',
  });
  const big = observe(firstObservation(demoJob('big', 'big', 8), pendingBig), done('j-big', 6, 9));
  return [
    firstObservation(demoJob('filler', 'filler', 5), done('j-fill', 0, 6)),
    big,
    firstObservation(demoJob('progress'), done('j-prog', 1.5, 3.5)),
    firstObservation(
      demoJob('fails'),
      done('j-fail', 2, 2.5, { state: JobState.JOB_STATE_FAILED, exitCode: 3, progress: 0 }),
    ),
  ];
}

describe('checkDemo', () => {
  it('accepts a run that behaved as expected', () => {
    expect(checkDemo(healthyRun())).toEqual({ ok: true, problems: [] });
  });

  it('reports a job that did not finish', () => {
    const run = healthyRun();
    run[2] = observe(run[2]!, { ...run[2]!.job, state: JobState.JOB_STATE_RUNNING });
    const verdict = checkDemo(run);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(['progress (j-prog) did not finish: still running']);
  });

  it('reports the failing job succeeding, and another job failing', () => {
    const run = healthyRun();
    run[3] = observe(run[3]!, done('j-fail', 2, 3));
    run[2] = observe(run[2]!, {
      ...run[2]!.job,
      state: JobState.JOB_STATE_FAILED,
      reason: 'NonZeroExit',
    });
    expect(checkDemo(run).problems).toEqual([
      'progress (j-prog) should have succeeded; it failed: NonZeroExit',
      'fails (j-fail) should have failed with exit code 3; it succeeded (exit code 0)',
    ]);
  });

  it('reports a second attempt and missing progress', () => {
    const run = healthyRun();
    const twice = done('j-prog', 1.5, 3.5, {
      attempts: [
        {
          number: 1,
          rank: 0,
          nodeId: '',
          nodeName: '',
          gpuIndices: [],
          state: AttemptState.ATTEMPT_STATE_LOST,
          message: '',
        },
        {
          number: 2,
          rank: 0,
          nodeId: '',
          nodeName: '',
          gpuIndices: [],
          state: AttemptState.ATTEMPT_STATE_SUCCEEDED,
          message: '',
        },
      ],
    });
    run[2] = { ...run[2]!, job: twice, maxProgress: 0.4 };
    expect(checkDemo(run).problems).toEqual([
      'progress (j-prog) ran 2 attempts; expected exactly 1',
      'progress (j-prog) reported progress up to 40%; expected 100%',
    ]);
  });

  it('reports a big job that never waited with a reason', () => {
    const run = healthyRun();
    run[1] = { ...run[1]!, pendingReasons: new Set(['Submitted']) };
    expect(checkDemo(run).problems).toEqual([
      'big (j-big) never showed WaitingForResources or Reserved while pending (saw: Submitted)',
    ]);
  });

  it('reports head-of-line blocking when nothing submitted later started first', () => {
    const run = healthyRun().map((o) =>
      o.demo.role === 'big' ? o : observe(o, { ...o.job, startTime: new Date(t0 + 10_000) }),
    );
    expect(checkDemo(run).problems).toContain(
      'no smaller job started while big (j-big) waited (head-of-line blocking)',
    );
  });
});

describe('summarize', () => {
  it('counts states and attempts and adds up wall time and GPU-seconds', () => {
    const summary = summarize(healthyRun(), t0, t0 + 20_000);
    expect(summary).toEqual({
      jobs: 4,
      byState: [
        ['succeeded', 3],
        ['failed', 1],
      ],
      attempts: 4,
      wallSeconds: 9,
      gpuSeconds: 5 * 6 + 8 * 3 + 2 + 0.5,
    });
    expect(renderSummary(summary)).toContain('jobs:         4 (3 succeeded, 1 failed)');
  });
});

describe('demo workload', () => {
  const shape = { agents: 2, gpusPerAgent: 8, gpus: '8xH100-80GB' };

  it('fills every node past half so no node has all its GPUs free', () => {
    const fillers = fillerJobs(shape);
    expect(fillers.map((j) => j.gpus)).toEqual([5, 5]);
    expect(fillers.every((j) => j.gpus * 2 > shape.gpusPerAgent)).toBe(true);
  });

  it('has a whole-node job first, progress commands of 1-8 GPUs, simulated jobs and one failure', () => {
    const jobs = mainJobs(shape);
    expect(jobs[0]).toMatchObject({ role: 'big', gpus: 8 });
    expect(jobs.filter((j) => j.role === 'progress').map((j) => j.gpus)).toEqual([1, 2, 4, 8]);
    expect(jobs.filter((j) => j.role === 'simulated').length).toBeGreaterThanOrEqual(3);
    expect(jobs.filter((j) => j.role === 'fails')).toHaveLength(1);
    expect(jobs.filter((j) => j.role === 'gang')).toMatchObject([
      { gpus: 2, nodes: 2, spec: { resources: { gpus: 1, nodes: 2 } } },
    ]);
    expect(mainJobs({ ...shape, agents: 1 }).some((j) => j.role === 'gang')).toBe(false);
  });

  it('expects a multi-node job on as many nodes as it asks for, in one attempt', () => {
    const rank = (r: number, nodeName: string) => ({
      number: 1,
      rank: r,
      nodeName,
      state: AttemptState.ATTEMPT_STATE_SUCCEEDED,
    });
    const gang = demoJob('gang', 'gang-2x1gpu', 2, 2);
    const on = (...nodes: string[]) => {
      const job = done('j-gang', 1, 2, {
        attempts: nodes.map((n, r) => Attempt.fromPartial(rank(r, n))),
      });
      return checkDemo([firstObservation(gang, job)]).problems;
    };
    expect(on('node-1', 'node-2')).toEqual([]);
    expect(on('node-1')).toEqual(['gang-2x1gpu (j-gang) ran on 1 node(s); expected 2 at once']);
  });

  it('never asks for more GPUs than a node has', () => {
    const small = { agents: 1, gpusPerAgent: 2, gpus: '2xL4-24GB' };
    for (const job of [...fillerJobs(small), ...mainJobs(small)])
      expect(job.gpus).toBeLessThanOrEqual(2);
  });

  it('sizes simulated work by the slowest GPU model', () => {
    const slow = { agents: 1, gpusPerAgent: 8, gpus: '8xT4-16GB' };
    const [filler] = fillerJobs(slow);
    expect(filler!.spec.simulated?.gpu_seconds).toBeCloseTo(6 * 5 * 0.05);
  });
});
