import { type Queue } from '@gantry/proto';
import { renderTable } from './table';

/** `H100-80GB=8,*=16`: named models by name, `*` (every other model) last. */
export function formatQuota(quota: Readonly<Record<string, number>>): string {
  return Object.entries(quota)
    .sort(([a], [b]) => (a === '*' ? 1 : b === '*' ? -1 : a.localeCompare(b)))
    .map(([model, gpus]) => `${model}=${gpus}`)
    .join(',');
}

/** The weight as people read it: 0 means 1 (proto3 cannot tell unset from 0). */
export function formatWeight(weight: number): string {
  return String(weight === 0 ? 1 : weight);
}

export interface QueueRow {
  readonly queue: Queue;
  /** 0 for an organization, 1 for a team queue under it, ... */
  readonly depth: number;
}

/**
 * The queues in tree order: each organization, then its queues below it, by name at every
 * level. A queue whose parent is not in the list is shown as a root, so none goes missing.
 */
export function queueTree(queues: readonly Queue[]): QueueRow[] {
  const names = new Set(queues.map((q) => q.name));
  const children = new Map<string, Queue[]>();
  for (const queue of queues) {
    const parent = names.has(queue.parent) && queue.parent !== queue.name ? queue.parent : '';
    children.set(parent, [...(children.get(parent) ?? []), queue]);
  }
  const rows: QueueRow[] = [];
  const seen = new Set<string>();
  const visit = (parent: string, depth: number) => {
    const level = [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const queue of level) {
      if (seen.has(queue.name)) continue; // a cycle in bad data: show each queue once
      seen.add(queue.name);
      rows.push({ queue, depth });
      visit(queue.name, depth + 1);
    }
  };
  visit('', 0);
  // Queues caught in a parent cycle never hang under a root; list them at the top level.
  for (const queue of queues) if (!seen.has(queue.name)) rows.push({ queue, depth: 0 });
  return rows;
}

/**
 * `gantry queues list`: ORG/QUEUE GUARANTEED MAX USED WEIGHT. Team queues are indented under
 * their organization (like sshare's account tree), so `awk '{print $1}'` still gets names.
 * `-o wide` adds PARENT.
 */
export function renderQueueTable(queues: readonly Queue[], wide: boolean): string {
  const columns = [
    {
      header: 'ORG/QUEUE',
      value: (r: QueueRow) => `${'  '.repeat(r.depth)}${r.queue.name}`,
      maxWidth: 40,
    },
    { header: 'GUARANTEED', value: (r: QueueRow) => formatQuota(r.queue.guaranteed) },
    { header: 'MAX', value: (r: QueueRow) => formatQuota(r.queue.max) },
    { header: 'USED', value: (r: QueueRow) => formatQuota(r.queue.used) },
    {
      header: 'WEIGHT',
      value: (r: QueueRow) => formatWeight(r.queue.weight),
      align: 'right' as const,
    },
  ];
  const all = wide
    ? [...columns, { header: 'PARENT', value: (r: QueueRow) => r.queue.parent }]
    : columns;
  return renderTable(all, queueTree(queues), { wide });
}

/** One line after `queues put`: what the queue now is. */
export function describeQueue(queue: Queue): string {
  const parts = [
    queue.parent ? `parent ${queue.parent}` : 'an organization',
    `guaranteed ${formatQuota(queue.guaranteed) || 'none'}`,
    `max ${formatQuota(queue.max) || 'no limit'}`,
    `weight ${formatWeight(queue.weight)}`,
  ];
  return `queue ${queue.name} saved: ${parts.join(', ')}`;
}
