import { AbortedError } from '@gantry/domain';
import type { Transaction } from 'kysely';
import type { FenceToken } from './api';
import type { Schema } from './schema';

/**
 * Fencing for leader-only writes. Contract: reads and writes scheduler_fence (one row) inside
 * the caller's transaction: raises the stored token to `token`, or throws AbortedError when a
 * newer leader (a higher token) has already written. The row lock it takes serialises leader
 * writes until the transaction ends.
 */
export async function advanceFence(trx: Transaction<Schema>, token: FenceToken): Promise<void> {
  if (!Number.isSafeInteger(token) || token < 0) {
    throw new Error(`fencing token ${token} must be a non-negative integer`);
  }
  const result = await trx
    .updateTable('scheduler_fence')
    .set({ token })
    .where('id', '=', 1)
    .where('token', '<=', token)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) {
    throw new AbortedError(
      `fencing token ${token} is stale: a newer scheduler leader has written since`,
    );
  }
}
