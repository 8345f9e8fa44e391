/** Decayed GPU usage per queue and model (fair share), in queue_usage. */
import type { Kysely } from 'kysely';
import { ValidationError } from '@gantry/domain';
import type { FenceToken } from '../api';
import { advanceFence } from '../fence';
import { usageFromRow } from '../mappers/policy';
import { toDate, toMs } from '../mappers/time';
import type { UsageRecord } from '../api/policy';
import type { Schema } from '../schema';

/** Below this many GPU-seconds an entry counts as none (and never underflows). */
const NEGLIGIBLE = 1e-9;

export interface AddedUsage {
  readonly queue: string;
  readonly model: string;
  readonly gpuSeconds: number;
}

/** `gpuSeconds` recorded at `from`, as of `to`: halved every `halfLifeSeconds` (never grown). */
export function decay(gpuSeconds: number, from: number, to: number, halfLife: number): number {
  const value = gpuSeconds * 2 ** (-Math.max(0, to - from) / 1000 / halfLife);
  return value < NEGLIGIBLE ? 0 : value;
}

export async function usage(db: Kysely<Schema>): Promise<UsageRecord[]> {
  const rows = await db
    .selectFrom('queue_usage')
    .selectAll()
    .orderBy('queue')
    .orderBy('model')
    .execute();
  return rows.map(usageFromRow);
}

/**
 * Transaction "accrue usage" (leader only, fenced). Reads: scheduler_fence, every queue_usage
 * row (FOR UPDATE). Writes: the fence token (AbortedError and nothing written when stale); each
 * row decayed to `asOf` (a row already newer is not decayed, and keeps its time), plus the
 * GPU-seconds added to its queue and model (new rows for new pairs). ValidationError (field
 * `half_life_seconds`, `added[i].gpu_seconds`) for a bad number. Emits: nothing.
 */
export async function accrueUsage(
  db: Kysely<Schema>,
  fence: FenceToken,
  added: readonly AddedUsage[],
  asOf: number,
  halfLifeSeconds: number,
): Promise<void> {
  if (!Number.isFinite(halfLifeSeconds) || halfLifeSeconds <= 0)
    throw ValidationError.field(
      'half_life_seconds',
      `must be a number greater than 0 (got ${halfLifeSeconds})`,
    );
  added.forEach((a, i) => {
    if (!Number.isFinite(a.gpuSeconds) || a.gpuSeconds < 0)
      throw ValidationError.field(
        `added[${i}].gpu_seconds`,
        `must be a number >= 0 (got ${a.gpuSeconds})`,
      );
  });
  await db.transaction().execute(async (trx) => {
    await advanceFence(trx, fence);
    const rows = await trx.selectFrom('queue_usage').selectAll().forUpdate().execute();
    const next = new Map<string, { queue: string; model: string; seconds: number; at: number }>();
    for (const row of rows) {
      const at = toMs(row.as_of);
      const seconds = decay(row.gpu_seconds, at, asOf, halfLifeSeconds);
      next.set(`${row.queue}\n${row.model}`, { ...row, seconds, at: Math.max(at, asOf) });
    }
    for (const a of added) {
      const key = `${a.queue}\n${a.model}`;
      const entry = next.get(key) ?? { queue: a.queue, model: a.model, seconds: 0, at: asOf };
      next.set(key, { ...entry, seconds: entry.seconds + a.gpuSeconds });
    }
    if (next.size === 0) return;
    await trx
      .insertInto('queue_usage')
      .values(
        [...next.values()].map((e) => ({
          queue: e.queue,
          model: e.model,
          gpu_seconds: e.seconds,
          as_of: toDate(e.at),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['queue', 'model']).doUpdateSet((eb) => ({
          gpu_seconds: eb.ref('excluded.gpu_seconds'),
          as_of: eb.ref('excluded.as_of'),
        })),
      )
      .execute();
  });
}
