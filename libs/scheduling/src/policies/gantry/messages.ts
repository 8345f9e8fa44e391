/** The human messages behind pending reasons. Pure formatting. */
import type { PendingJob } from '../../model';

export function describeShape(job: PendingJob, model: string): string {
  const { nodes, gpusPerNode } = job.shape;
  const of = job.shape.gpuModel || model ? ` of ${job.shape.gpuModel ?? model}` : '';
  const per = `${gpusPerNode} GPU${gpusPerNode === 1 ? '' : 's'}${of}`;
  return nodes === 1 ? `${per} on one node` : `${nodes} nodes × ${per} in one fabric domain`;
}

export function inHowLong(from: number, to: number): string {
  const seconds = Math.max(0, Math.round((to - from) / 1000));
  if (seconds < 90) return `${seconds}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}

export function listNames(names: readonly string[], limit = 3): string {
  return names.length <= limit
    ? names.join(', ')
    : `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}
