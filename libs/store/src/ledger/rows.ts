/**
 * The ledger's rows as the store reads them. bigint columns come back as strings from
 * node-postgres and as numbers or bigints from PGlite; every amount goes through `microsOf`,
 * which refuses anything that is not a safe integer rather than round it.
 */
import type { Selectable } from 'kysely';
import { InternalError, type Micros, type PostingKind, type PostingRecord } from '@gantry/domain';
import { toMs } from '../mappers/time';
import type { LedgerPostingsTable } from '../schema';

/** A bigint column's value as a number; InternalError when it is not a safe integer. */
export function microsOf(value: string | number | bigint | null | undefined): Micros {
  if (value === null || value === undefined) return 0;
  const number = typeof value === 'string' ? Number(value) : Number(value);
  if (!Number.isSafeInteger(number) || (typeof value === 'string' && !/^-?\d+$/.test(value))) {
    throw new InternalError(`the ledger read ${String(value)}, which is not a safe integer`);
  }
  return number;
}

/** A posting row and its entries (the amounts each account gained or lost). */
export function postingFromRows(
  row: Selectable<LedgerPostingsTable>,
  entries: readonly { account: string; amount_micros: string | number | bigint }[],
): PostingRecord {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    kind: row.kind as PostingKind,
    description: row.description,
    leaseId: row.lease_id,
    createdAt: toMs(row.created_at),
    entries: [...entries]
      .sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0))
      .map((e) => ({ account: e.account, amount: microsOf(e.amount_micros) })),
  };
}
