/**
 * Queues form a tree: organizations at the top, team queues under them; jobs are submitted to
 * leaf queues. Each queue has, per GPU model, a guaranteed quota (GPUs it can always get back,
 * by preemption of borrowers if needed) and a maximum (GPUs it may hold at most, borrowing
 * included). `*` stands for every model not listed.
 */
export interface QueueSpec {
  readonly name: string;
  /** The parent queue's name, or null for an organization (a root). */
  readonly parent: string | null;
  /** GPUs per model this queue can always reclaim. Missing: 0. */
  readonly guaranteed: Readonly<Record<string, number>>;
  /** GPUs per model this queue may hold at most. Missing: no limit. */
  readonly max: Readonly<Record<string, number>>;
  /** Fair-share weight among its siblings (default 1). */
  readonly weight: number;
}

export const ANY_MODEL = '*';

/** A queue's limit for a model: the model's own entry, else `*`, else the fallback. */
export function limitFor(
  limits: Readonly<Record<string, number>>,
  model: string,
  fallback: number,
): number {
  return limits[model] ?? limits[ANY_MODEL] ?? fallback;
}
