import { AttemptState, DependencyCondition, Job, JobState } from '@gantry/proto';
import { renderJobDetails } from './job-details';
import { renderJobTable } from './job-view';

const now = Date.parse('2026-11-29T12:00:00Z');

function preemptedJob(): Job {
  return Job.fromPartial({
    id: 'job_b',
    tenant: 'research',
    state: JobState.JOB_STATE_PENDING,
    reason: 'Preempted',
    message: 'preempted for job_z (serving); waiting to run again',
    attempt: 1,
    priorityClass: 'batch',
    arrayId: 'job_a',
    arrayIndex: 3,
    preemptions: 2,
    lastCheckpointTime: new Date(now - 300_000),
    submitTime: new Date(now - 3_600_000),
    spec: {
      name: 'shard[3]',
      queue: 'rl',
      priority: 100,
      priorityClass: 'batch',
      resources: { gpus: 1 },
      dependencies: [
        { jobId: 'job_p', condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_OK },
        { jobId: 'job_q', condition: DependencyCondition.DEPENDENCY_CONDITION_AFTER_ANY },
      ],
      workload: { $case: 'simulated', simulated: { gpuSeconds: 60 } },
    },
    attempts: [
      {
        number: 1,
        nodeName: 'node-1',
        gpuIndices: [4],
        state: AttemptState.ATTEMPT_STATE_PREEMPTED,
        message: 'preempted for job_z (serving)',
      },
    ],
  });
}

describe('job details for the policy', () => {
  const text = renderJobDetails(preemptedJob(), now);

  it('shows class, array element, dependencies, preemptions and the last checkpoint', () => {
    expect(text).toContain('Class:            batch');
    expect(text).toContain('Array:            job_a [3]');
    expect(text).toContain('Depends on:       job_p (after-ok), job_q (after-any)');
    expect(text).toContain('Preemptions:      2');
    expect(text).toContain('Last checkpoint:  2026-11-29T11:55:00.000Z (5m ago)');
    expect(text).toContain(
      'State:            pending (Preempted: preempted for job_z (serving); waiting to run again)',
    );
  });

  it('shows a preempted attempt as preempted', () => {
    expect(text).toMatch(/ {2}1 +node-1 +4 +preempted +- +- +- +preempted for job_z/);
  });

  it('leaves out what a plain job does not have', () => {
    const plain = renderJobDetails(
      Job.fromPartial({ id: 'job_c', state: JobState.JOB_STATE_PENDING, spec: { name: 'x' } }),
      now,
    );
    for (const field of ['Array:', 'Depends on:', 'Preemptions:', 'Last checkpoint:', 'Class:'])
      expect(plain).not.toContain(field);
  });
});

describe('job table for the policy', () => {
  it('shows the longest new reason uncut and the class in wide output', () => {
    const waiting = Job.fromPartial({
      id: 'job_d',
      state: JobState.JOB_STATE_CANCELLED,
      reason: 'DependencyNeverSatisfied',
      spec: { name: 'eval', queue: 'rl', priorityClass: 'background', resources: { gpus: 1 } },
    });
    const [header, row] = renderJobTable([waiting], now, false).split('\n');
    expect(header).not.toContain('CLASS');
    expect(row).toContain(' DependencyNeverSatisfied ');
    const [wideHeader, wideRow] = renderJobTable([waiting], now, true).split('\n');
    expect(wideHeader).toMatch(/AGE\s+CLASS\s+PRIORITY/);
    expect(wideRow).toMatch(/ background /);
  });
});
