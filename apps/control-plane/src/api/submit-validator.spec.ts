import { ValidationError, type JobSpec } from '@gantry/domain';
import { aSpec, type SpecOptions } from '../testing/job-records';
import { controlPlaneParts } from '../testing/parts';
import { SubmitValidator } from './submit-validator';

function setUp() {
  const parts = controlPlaneParts();
  parts.policy.add(
    { name: 'org', parent: null, guaranteed: {}, max: {}, weight: 1 },
    { name: 'team-a', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
    { name: 'team-b', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
  );
  return { ...parts, validator: new SubmitValidator(parts.policy) };
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
  it('accepts a leaf queue, and the default queue', async () => {
    const { validator } = setUp();
    expect(await violations(validator.check(spec({ queue: 'team-a' })))).toEqual([]);
    expect(await violations(validator.check(spec({})))).toEqual([]);
  });

  it('names an unknown queue, and a queue with children naming them', async () => {
    const { validator } = setUp();
    expect(await violations(validator.check(spec({ queue: 'team-c' })))).toEqual([
      'spec.queue: no queue named "team-c" (see gantry queues list)',
    ]);
    expect(await violations(validator.check(spec({ queue: 'org' })))).toEqual([
      'spec.queue: "org" has child queues; submit to one of them: team-a, team-b',
    ]);
  });
});
