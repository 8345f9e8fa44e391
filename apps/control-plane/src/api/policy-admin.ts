/**
 * AdminService's scheduling configuration: the queue tree and priority classes, validated and
 * stored by the policy repository (PostgreSQL); ListQueues adds what each queue holds now,
 * counted from the active attempts (a parent counts its children).
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { type CallObserver, unary } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { JobRepository, NodeRepository, PolicyRepository } from '@gantry/store';
import { JOBS, NODES, POLICY } from '../infrastructure/tokens';
import { ancestry } from '../scheduler/usage-accountant';
import { AuthService } from './auth.service';
import {
  fromProtoClass,
  fromProtoQueue,
  toProtoClass,
  toProtoQueue,
} from './mappers/policy.mapper';

type PolicyRpcs = Pick<
  pb.AdminServiceServer,
  'putQueue' | 'deleteQueue' | 'listQueues' | 'putPriorityClass' | 'listPriorityClasses'
>;

@Injectable()
export class PolicyAdminHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(POLICY) private readonly policy: PolicyRepository,
    @Inject(JOBS) private readonly jobs: JobRepository,
    @Inject(NODES) private readonly nodes: NodeRepository,
  ) {}

  implementation(observer: CallObserver, now: () => number): PolicyRpcs {
    const admin = async <T>(metadata: Metadata, work: () => Promise<T>): Promise<T> => {
      await this.auth.admin(metadata);
      return work();
    };
    return {
      putQueue: unary(
        'PutQueue',
        (req: pb.PutQueueRequest, call) =>
          admin(call.metadata, async () => ({
            queue: toProtoQueue(await this.policy.putQueue(fromProtoQueue(req.queue), now())),
          })),
        observer,
      ),
      deleteQueue: unary(
        'DeleteQueue',
        (req: pb.DeleteQueueRequest, call) =>
          admin(call.metadata, async () => (await this.policy.deleteQueue(req.name), {})),
        observer,
      ),
      listQueues: unary(
        'ListQueues',
        (_req: pb.ListQueuesRequest, call) => admin(call.metadata, () => this.listQueues()),
        observer,
      ),
      putPriorityClass: unary(
        'PutPriorityClass',
        (req: pb.PutPriorityClassRequest, call) =>
          admin(call.metadata, async () => ({
            priorityClass: toProtoClass(
              await this.policy.putClass(fromProtoClass(req.priorityClass)),
            ),
          })),
        observer,
      ),
      listPriorityClasses: unary(
        'ListPriorityClasses',
        (_req: pb.ListPriorityClassesRequest, call) =>
          admin(call.metadata, async () => ({
            priorityClasses: (await this.policy.listClasses())
              .sort((a, b) => b.priority - a.priority)
              .map(toProtoClass),
          })),
        observer,
      ),
    };
  }

  private async listQueues(): Promise<pb.ListQueuesResponse> {
    const [queues, active, nodes] = await Promise.all([
      this.policy.listQueues(),
      this.jobs.activeAttempts(),
      this.nodes.list(),
    ]);
    const models = new Map(
      nodes.map((n) => [n.id, new Map(n.inventory.gpus.map((g) => [g.index, g.model]))]),
    );
    const used = new Map<string, Record<string, number>>();
    for (const { job, attempt } of active) {
      const model = models.get(attempt.nodeId)?.get(attempt.gpuIndices[0] ?? -1);
      if (!model) continue;
      for (const queue of ancestry(job.spec.queue, queues)) {
        const byModel = used.get(queue) ?? {};
        byModel[model] = (byModel[model] ?? 0) + attempt.gpuIndices.length;
        used.set(queue, byModel);
      }
    }
    return { queues: queues.map((q) => toProtoQueue(q, used.get(q.name))) };
  }
}
