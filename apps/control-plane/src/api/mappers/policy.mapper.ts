/** Queues and priority classes between the wire and the store. */
import { ValidationError } from '@gantry/domain';
import { toDuration } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { PriorityClassRecord, QueueRecord } from '@gantry/store';

export function fromProtoQueue(queue: pb.Queue | undefined): QueueRecord {
  if (!queue) throw ValidationError.field('queue', 'is required');
  return {
    name: queue.name,
    parent: queue.parent === '' ? null : queue.parent,
    guaranteed: { ...queue.guaranteed },
    max: { ...queue.max },
    weight: queue.weight === 0 ? 1 : queue.weight,
  };
}

export function toProtoQueue(
  queue: QueueRecord,
  used: Readonly<Record<string, number>> = {},
): pb.Queue {
  return {
    name: queue.name,
    parent: queue.parent ?? '',
    guaranteed: { ...queue.guaranteed },
    max: { ...queue.max },
    weight: queue.weight,
    used: { ...used },
  };
}

const seconds = (d: pb.Duration | undefined): number => (d ? d.seconds + d.nanos / 1e9 : 0);

export function fromProtoClass(cls: pb.PriorityClass | undefined): PriorityClassRecord {
  if (!cls) throw ValidationError.field('priority_class', 'is required');
  return {
    name: cls.name,
    priority: cls.priority,
    preemptible: cls.preemptible,
    minRuntimeSeconds: seconds(cls.minRuntime),
    gracePeriodSeconds: seconds(cls.gracePeriod),
  };
}

export function toProtoClass(cls: PriorityClassRecord): pb.PriorityClass {
  return {
    name: cls.name,
    priority: cls.priority,
    preemptible: cls.preemptible,
    minRuntime: toDuration(cls.minRuntimeSeconds),
    gracePeriod: toDuration(cls.gracePeriodSeconds),
  };
}
