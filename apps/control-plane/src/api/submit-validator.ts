/**
 * Checks that a parsed spec's queue exists and takes jobs (it has no child queues). The store
 * checks the priority class and the dependencies in the submit transaction itself.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ValidationError, type JobSpec } from '@gantry/domain';
import type { PolicyRepository } from '@gantry/store';
import { POLICY } from '../infrastructure/tokens';

@Injectable()
export class SubmitValidator {
  constructor(@Inject(POLICY) private readonly policy: PolicyRepository) {}

  async check(spec: JobSpec): Promise<void> {
    const queues = await this.policy.listQueues();
    const children = queues.filter((q) => q.parent === spec.queue).map((q) => q.name);
    if (!queues.some((q) => q.name === spec.queue)) {
      throw ValidationError.field(
        'spec.queue',
        `no queue named "${spec.queue}" (see gantry queues list)`,
      );
    }
    if (children.length > 0) {
      throw ValidationError.field(
        'spec.queue',
        `"${spec.queue}" has child queues; submit to one of them: ${children.join(', ')}`,
      );
    }
  }
}
