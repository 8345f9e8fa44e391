/**
 * Checks what a parsed spec names against the cluster: its queue exists and takes jobs (it has
 * no child queues); a batch or RL job's input file is one of the tenant's files (another
 * tenant's is "no file", like a missing one); no user submits a shard (the control plane makes
 * those) or an array of batch or RL jobs. The store checks the priority class and the
 * dependencies in the submit transaction itself.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  isInternalWorkload,
  isParentWorkload,
  NotFoundError,
  ValidationError,
  type JobSpec,
} from '@gantry/domain';
import type { FileRepository, PolicyRepository, Scope } from '@gantry/store';
import { FILES, POLICY } from '../infrastructure/tokens';

@Injectable()
export class SubmitValidator {
  constructor(
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(FILES) private readonly files: FileRepository,
  ) {}

  async check(spec: JobSpec, scope: Scope, array = false): Promise<void> {
    const workload = spec.workload;
    if (isInternalWorkload(workload))
      throw ValidationError.field(
        'spec.shard',
        'is made by the control plane; submit a batch or RL job',
      );
    if (array && isParentWorkload(workload))
      throw ValidationError.field(
        'array',
        `${workload.kind} jobs shard themselves (their shards field); they cannot be job arrays`,
      );
    await this.checkQueue(spec);
    if (workload.kind === 'inference_batch')
      await this.checkFile(scope, workload.inputFileId, 'spec.inference_batch.input_file_id');
    if (workload.kind === 'rl_synthetic')
      await this.checkFile(scope, workload.problemsFileId, 'spec.rl_synthetic.problems_file_id');
  }

  private async checkQueue(spec: JobSpec): Promise<void> {
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

  private async checkFile(scope: Scope, fileId: string, field: string): Promise<void> {
    try {
      await this.files.get(scope, fileId);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw ValidationError.field(
          field,
          `no file ${fileId} (upload it with gantry files upload)`,
        );
      throw error;
    }
  }
}
