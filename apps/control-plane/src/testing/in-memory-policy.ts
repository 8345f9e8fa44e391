/**
 * PolicyRepository (libs/store/src/policy-api.ts) in memory, for unit tests only. A fresh one
 * holds the queue `default` (an organization without limits) and the default priority classes;
 * accrueUsage decays every stored entry to the new time by the half-life before adding, as the
 * store does, and records each (fenced) call. putQueue checks the structural rules with the
 * store's messages (name, parent and cycles, whole non-negative counts, guarantee within the
 * maximum), not the catalog or the children's sums: the store's own tests cover those.
 */
import {
  AbortedError,
  FailedPreconditionError,
  NotFoundError,
  ValidationError,
  type FieldViolation,
} from '@gantry/domain';
import { DEFAULT_PRIORITY_CLASSES } from '@gantry/scheduling';
import type {
  PolicyRepository,
  PriorityClassRecord,
  QueueRecord,
  UsageRecord,
} from '@gantry/store';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const NAME_MESSAGE = 'must be 1-63 lower-case letters, digits or "-", starting with a letter';

export const DEFAULT_QUEUE: QueueRecord = {
  name: 'default',
  parent: null,
  guaranteed: {},
  max: {},
  weight: 1,
};

export interface AccrueCall {
  readonly fence: number;
  readonly added: ReadonlyArray<{ queue: string; model: string; gpuSeconds: number }>;
  readonly asOf: number;
  readonly halfLifeSeconds: number;
}

export class InMemoryPolicyRepository implements PolicyRepository {
  readonly queues = new Map<string, QueueRecord>([[DEFAULT_QUEUE.name, DEFAULT_QUEUE]]);
  readonly classes = new Map<string, PriorityClassRecord>(
    DEFAULT_PRIORITY_CLASSES.map((c) => [c.name, { ...c }]),
  );
  /** Stored usage per queue and model. */
  readonly stored = new Map<string, UsageRecord>();
  readonly accruals: AccrueCall[] = [];
  private highestFence = 0;

  constructor(
    /** How many unfinished jobs a queue holds (deleteQueue refuses a queue with any). */
    private readonly unfinishedJobsIn: (queue: string) => number = () => 0,
  ) {}

  /** Queues for a test's set-up, unchecked. */
  add(...queues: QueueRecord[]): void {
    for (const queue of queues) this.queues.set(queue.name, queue);
  }

  async listQueues(): Promise<QueueRecord[]> {
    return [...this.queues.values()];
  }

  async putQueue(queue: QueueRecord, _now: number): Promise<QueueRecord> {
    const problems = this.checkQueue(queue);
    if (problems.length > 0) throw new ValidationError(problems);
    this.queues.set(queue.name, queue);
    return queue;
  }

  async deleteQueue(name: string): Promise<void> {
    if (!this.queues.has(name)) throw new NotFoundError('queue', name);
    const children = [...this.queues.values()].filter((q) => q.parent === name).map((q) => q.name);
    if (children.length > 0)
      throw new FailedPreconditionError(
        `queue ${name} has child queues (${children.sort().join(', ')}); delete or move them first`,
      );
    const jobs = this.unfinishedJobsIn(name);
    if (jobs > 0)
      throw new FailedPreconditionError(
        `queue ${name} has ${jobs} unfinished job${jobs === 1 ? '' : 's'}; wait for them or cancel them first`,
      );
    this.queues.delete(name);
  }

  async listClasses(): Promise<PriorityClassRecord[]> {
    return [...this.classes.values()];
  }

  async putClass(priorityClass: PriorityClassRecord): Promise<PriorityClassRecord> {
    if (!NAME.test(priorityClass.name))
      throw ValidationError.field('priority_class.name', NAME_MESSAGE);
    this.classes.set(priorityClass.name, priorityClass);
    return priorityClass;
  }

  async usage(): Promise<UsageRecord[]> {
    return [...this.stored.values()];
  }

  async accrueUsage(
    fence: number,
    added: ReadonlyArray<{ queue: string; model: string; gpuSeconds: number }>,
    asOf: number,
    halfLifeSeconds: number,
  ): Promise<void> {
    if (fence < this.highestFence)
      throw new AbortedError(`fence ${fence} is older than ${this.highestFence}`);
    this.highestFence = fence;
    this.accruals.push({ fence, added, asOf, halfLifeSeconds });
    for (const [key, record] of this.stored) {
      const factor = Math.pow(2, -Math.max(0, asOf - record.asOf) / 1000 / halfLifeSeconds);
      const gpuSeconds = record.gpuSeconds * factor;
      this.stored.set(key, { ...record, gpuSeconds, asOf: Math.max(record.asOf, asOf) });
    }
    for (const { queue, model, gpuSeconds } of added) {
      const key = `${queue}\u0000${model}`;
      const before = this.stored.get(key)?.gpuSeconds ?? 0;
      this.stored.set(key, { queue, model, gpuSeconds: before + gpuSeconds, asOf });
    }
  }

  /** The store's structural rules and messages (libs/store/src/policy/queue-rules.ts). */
  private checkQueue(queue: QueueRecord): FieldViolation[] {
    const problems: FieldViolation[] = [];
    if (!NAME.test(queue.name)) problems.push({ field: 'queue.name', message: NAME_MESSAGE });
    const parent = queue.parent;
    const cycle = this.pathBack(queue);
    if (parent === queue.name)
      problems.push({ field: 'queue.parent', message: 'cannot be the queue itself' });
    else if (parent !== null && !this.queues.has(parent))
      problems.push({ field: 'queue.parent', message: `queue "${parent}" does not exist` });
    else if (cycle)
      problems.push({
        field: 'queue.parent',
        message: `would make a cycle: ${cycle.join(' -> ')}`,
      });
    for (const kind of ['guaranteed', 'max'] as const) {
      for (const [model, count] of Object.entries(queue[kind])) {
        const field = `queue.${kind}["${model}"]`;
        if (!Number.isInteger(count) || count < 0)
          problems.push({ field, message: `must be a whole number >= 0 (got ${count})` });
        else if (kind === 'guaranteed' && count > (queue.max[model] ?? Infinity))
          problems.push({
            field,
            message: `is ${count}, above the maximum of ${queue.max[model]}`,
          });
      }
    }
    return problems;
  }

  /** The way from the queue up through its new parent back to itself, if there is one. */
  private pathBack(queue: QueueRecord): string[] | undefined {
    const path = [queue.name];
    for (let up = queue.parent; up !== null && path.length <= this.queues.size + 1;) {
      path.push(up);
      if (up === queue.name) return path;
      up = this.queues.get(up)?.parent ?? null;
    }
    return undefined;
  }
}
