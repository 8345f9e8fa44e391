/** Rows of queues, priority_classes and queue_usage to and from the policy records. */
import type { Selectable } from 'kysely';
import type { PriorityClassRecord, QueueRecord, UsageRecord } from '../api/policy';
import type { PriorityClassesTable, QueuesTable, QueueUsageTable } from '../schema';
import { toMs } from './time';

export function queueFromRow(row: Selectable<QueuesTable>): QueueRecord {
  return {
    name: row.name,
    parent: row.parent,
    guaranteed: row.guaranteed as Record<string, number>,
    max: row.max as Record<string, number>,
    weight: row.weight,
  };
}

export function classFromRow(row: Selectable<PriorityClassesTable>): PriorityClassRecord {
  return {
    name: row.name,
    priority: row.priority,
    preemptible: row.preemptible,
    minRuntimeSeconds: row.min_runtime_seconds,
    gracePeriodSeconds: row.grace_period_seconds,
  };
}

export function classToRow(record: PriorityClassRecord): Selectable<PriorityClassesTable> {
  return {
    name: record.name,
    priority: record.priority,
    preemptible: record.preemptible,
    min_runtime_seconds: record.minRuntimeSeconds,
    grace_period_seconds: record.gracePeriodSeconds,
  };
}

export function usageFromRow(row: Selectable<QueueUsageTable>): UsageRecord {
  return {
    queue: row.queue,
    model: row.model,
    gpuSeconds: row.gpu_seconds,
    asOf: toMs(row.as_of),
  };
}
