/**
 * Checks what a parsed spec names against the cluster: its queue exists and takes jobs (it has
 * no child queues); a batch or RL job's input file is one of the tenant's files (another
 * tenant's is "no file", like a missing one); no user submits a shard or a lease job (the
 * control plane makes those) or an array of batch or RL jobs. A renter's job runs in one of its
 * own leases that has not ended (ADR 10): a `command` or `inference_batch` job no bigger than
 * the lease; only renters name a lease. The store checks the priority class and the dependencies
 * in the submit transaction itself.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  isInternalWorkload,
  isParentWorkload,
  NotFoundError,
  ValidationError,
  type JobSpec,
} from '@gantry/domain';
import type {
  FileRepository,
  LeaseRepository,
  PolicyRepository,
  RenterRepository,
  Scope,
} from '@gantry/store';
import { FILES, LEASES, POLICY, RENTERS } from '../infrastructure/tokens';

const RENTER_KINDS = ['command', 'inference_batch'];

@Injectable()
export class SubmitValidator {
  constructor(
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(FILES) private readonly files: FileRepository,
    @Inject(RENTERS) private readonly renters: RenterRepository,
    @Inject(LEASES) private readonly leases: LeaseRepository,
  ) {}

  async check(spec: JobSpec, scope: Scope, array = false): Promise<void> {
    const workload = spec.workload;
    if (isInternalWorkload(workload))
      throw ValidationError.field(
        `spec.${workload.kind}`,
        'is made by the control plane; submit a batch or RL job, or buy a lease',
      );
    if (await this.renters.isRenter(scope.tenantId)) return this.checkRenterJob(spec, scope);
    if (spec.leaseId !== undefined)
      throw ValidationError.field(
        'spec.lease_id',
        'is for renters: only a renter runs jobs in a lease',
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

  /** A renter's job: in one of its leases, of a kind renters run, no bigger than the lease. */
  private async checkRenterJob(spec: JobSpec, scope: Scope): Promise<void> {
    if (spec.leaseId === undefined)
      throw ValidationError.field(
        'spec.lease_id',
        'is required: a renter runs its jobs in a lease it bought',
      );
    let lease;
    try {
      lease = await this.leases.get(scope, spec.leaseId);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw ValidationError.field('spec.lease_id', `no lease ${spec.leaseId}`);
      throw error;
    }
    if (lease.state === 'ended')
      throw ValidationError.field(
        'spec.lease_id',
        `lease ${lease.id} has ended (${lease.endReason ?? 'ended'})`,
      );
    if (!RENTER_KINDS.includes(spec.workload.kind))
      throw ValidationError.field(
        'spec.workload',
        `renters run ${RENTER_KINDS.join(' and ')} jobs in their leases`,
      );
    const { gpus, nodes, gpuModel } = spec.resources;
    if (gpus > lease.gpus || nodes > lease.nodes)
      throw ValidationError.field(
        'spec.resources',
        `asks for ${nodes} x ${gpus} GPUs; lease ${lease.id} has ${lease.nodes} x ${lease.gpus}`,
      );
    if (gpuModel !== null && gpuModel !== lease.gpuModel)
      throw ValidationError.field(
        'spec.resources.gpu_model',
        `is ${gpuModel}; lease ${lease.id} is ${lease.gpuModel}`,
      );
    if (spec.workload.kind === 'inference_batch')
      await this.checkFile(scope, spec.workload.inputFileId, 'spec.inference_batch.input_file_id');
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
