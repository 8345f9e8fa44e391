import { ValidationError, type JobSpec } from '@gantry/domain';
import { aPendingJob, aSpec, type SpecOptions } from '../testing/job-records';
import { controlPlaneParts } from '../testing/parts';
import { SubmitValidator } from './submit-validator';

const ALICE = { tenantId: 'ten_alice', admin: false };

function setUp() {
  const parts = controlPlaneParts();
  parts.policy.add(
    { name: 'org', parent: null, guaranteed: {}, max: {}, weight: 1 },
    { name: 'team-a', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
    { name: 'team-b', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
  );
  parts.jobs.add(aPendingJob('job_mine', { tenantId: ALICE.tenantId }));
  parts.jobs.add(aPendingJob('job_bobs', { tenantId: 'ten_bob' }));
  const validator = new SubmitValidator(parts.policy, parts.jobs);
  return { ...parts, validator };
}

async function violations(check: Promise<void>): Promise<string[]> {
  try {
    await check;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations.map((v) => `${v.field}: ${v.message}`);
  }
  return [];
}

const spec = (options: SpecOptions): JobSpec => aSpec(options);

describe('SubmitValidator', () => {
  it('accepts a spec whose class, leaf queue and dependencies exist', async () => {
    const { validator } = setUp();
    const ok = spec({
      priorityClass: 'serving',
      queue: 'team-a',
      dependencies: [{ jobId: 'job_mine', condition: 'after-ok' }],
    });
    expect(await violations(validator.check(ALICE, ok))).toEqual([]);
    expect(await violations(validator.check(ALICE, spec({})))).toEqual([]); // batch in default
  });

  it('names an unknown priority class and lists the classes there are', async () => {
    const { validator } = setUp();
    expect(await violations(validator.check(ALICE, spec({ priorityClass: 'urgent' })))).toEqual([
      'spec.priority_class: no priority class named "urgent" (one of serving, batch, rl-rollout, background)',
    ]);
  });

  it('names an unknown queue, and a queue with children naming them', async () => {
    const { validator } = setUp();
    expect(await violations(validator.check(ALICE, spec({ queue: 'team-c' })))).toEqual([
      'spec.queue: no queue named "team-c" (see gantry queues list)',
    ]);
    expect(await violations(validator.check(ALICE, spec({ queue: 'org' })))).toEqual([
      'spec.queue: "org" has child queues; submit to one of them: team-a, team-b',
    ]);
  });

  it('names a dependency on a job the tenant cannot see, by its position', async () => {
    const { validator } = setUp();
    const dependent = spec({
      dependencies: [
        { jobId: 'job_mine', condition: 'after-ok' },
        { jobId: 'job_bobs', condition: 'after-any' },
        { jobId: 'job_none', condition: 'after-failed' },
      ],
    });
    expect(await violations(validator.check(ALICE, dependent))).toEqual([
      'spec.dependencies[1].job_id: no job job_bobs',
      'spec.dependencies[2].job_id: no job job_none',
    ]);
  });

  it('reports every problem at once', async () => {
    const { validator } = setUp();
    const bad = spec({
      priorityClass: 'urgent',
      queue: 'org',
      dependencies: [{ jobId: 'job_none', condition: 'after-ok' }],
    });
    expect((await violations(validator.check(ALICE, bad))).map((v) => v.split(':')[0])).toEqual([
      'spec.priority_class',
      'spec.queue',
      'spec.dependencies[0].job_id',
    ]);
  });
});
