import { sql, type Kysely } from 'kysely';
import {
  AlreadyExistsError,
  contentHash,
  newId,
  NotFoundError,
  ValidationError,
  type Clock,
  type LeaseRecord,
  type LeaseState,
} from '@gantry/domain';
import type { LeaseEventRecord, LeaseJobs, LeaseRepository, NewLease, Scope } from '../api';
import type { Database } from '../database/database';
import { toDate, toMs, toMsOrNull } from '../mappers/time';
import type { Schema } from '../schema';
import { leaseFromRow, leasePatchToRow } from './lease-rows';

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

function encodeToken(id: string): string {
  return Buffer.from(`l1:${id}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string | undefined {
  if (token === '') return undefined;
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString() : '';
  if (!text.startsWith('l1:lease_'))
    throw ValidationError.field(
      'page_token',
      'is not a page token from a previous ListLeases reply',
    );
  return text.slice(3);
}

/** Leases and their history in PostgreSQL (ADR 10). */
export class KyselyLeaseRepository implements LeaseRepository {
  private readonly db: Kysely<Schema>;

  constructor(
    database: Pick<Database, 'db'>,
    private readonly clock: Clock,
  ) {
    this.db = database.db;
  }

  /**
   * Transaction "create lease". Writes a pending lease and its `created` entry. With a key, the
   * unique index (tenant, key) decides races: the same request returns the first lease
   * (created=false); another request with the key is AlreadyExistsError naming the lease.
   */
  async create(lease: NewLease, now: number): Promise<{ lease: LeaseRecord; created: boolean }> {
    const hash = contentHash({ ...lease, idempotencyKey: null });
    const id = newId('lease', this.clock);
    const expiresAt = (lease.windowStartsAt ?? now) + lease.durationSeconds * 1000;
    const inserted = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('leases')
        .values({
          id,
          tenant_id: lease.tenantId,
          product: lease.product,
          gpu_model: lease.gpuModel,
          gpus: lease.gpus,
          nodes: lease.nodes,
          fabric_domain: lease.fabricDomain,
          price_micros: lease.pricePerGpuHour,
          state: 'pending',
          end_reason: null,
          message: 'waiting for its GPUs',
          created_at: toDate(now),
          expires_at: toDate(expiresAt),
          duration_seconds: lease.durationSeconds,
          notice_seconds: lease.noticeSeconds,
          window_starts_at: lease.windowStartsAt === null ? null : toDate(lease.windowStartsAt),
          idempotency_key: lease.idempotencyKey,
          request_hash: hash,
          last_event_seq: 1,
        })
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'idempotency_key'])
            .where('idempotency_key', 'is not', null)
            .doNothing(),
        )
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await trx
        .insertInto('lease_events')
        .values({
          lease_id: id,
          seq: 1,
          time: toDate(now),
          type: 'created',
          message: `${lease.product} lease of ${lease.gpus * lease.nodes} x ${lease.gpuModel}`,
          notice_ends_at: null,
          amount_micros: 0,
        })
        .execute();
      return true;
    });
    if (inserted)
      return {
        lease: await this.get({ tenantId: lease.tenantId, admin: false }, id),
        created: true,
      };
    const existing = await this.db
      .selectFrom('leases')
      .selectAll()
      .where('tenant_id', '=', lease.tenantId)
      .where('idempotency_key', '=', lease.idempotencyKey ?? '')
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== hash)
      throw new AlreadyExistsError(
        `idempotency key "${lease.idempotencyKey}" was already used for lease ${existing.id} with a different request`,
      );
    return { lease: leaseFromRow(existing), created: false };
  }

  async byKey(tenantId: string, key: string): Promise<LeaseRecord | null> {
    const row = await this.db
      .selectFrom('leases')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row ? leaseFromRow(row) : null;
  }

  async get(scope: Scope, leaseId: string): Promise<LeaseRecord> {
    const row = await this.db
      .selectFrom('leases')
      .selectAll()
      .where('id', '=', leaseId)
      .executeTakeFirst();
    if (!row || !(scope.admin || row.tenant_id === scope.tenantId))
      throw new NotFoundError('lease', leaseId);
    return leaseFromRow(row);
  }

  async list(
    scope: Scope,
    states: readonly LeaseState[],
    pageSize: number,
    pageToken: string,
  ): Promise<{ leases: LeaseRecord[]; nextPageToken: string }> {
    const before = decodeToken(pageToken);
    let query = this.db
      .selectFrom('leases')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize + 1);
    if (!scope.admin) query = query.where('tenant_id', '=', scope.tenantId);
    if (states.length > 0) query = query.where('state', 'in', [...states]);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.execute();
    const leases = rows.slice(0, pageSize).map(leaseFromRow);
    const more = rows.length > pageSize;
    return { leases, nextPageToken: more ? encodeToken(leases[leases.length - 1]!.id) : '' };
  }

  async live(limit: number): Promise<LeaseRecord[]> {
    const rows = await this.db
      .selectFrom('leases')
      .selectAll()
      .where('state', '<>', 'ended')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(leaseFromRow);
  }

  async events(leaseId: string, fromSequence: number): Promise<LeaseEventRecord[]> {
    const rows = await this.db
      .selectFrom('lease_events')
      .selectAll()
      .where('lease_id', '=', leaseId)
      .where('seq', '>=', fromSequence)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({
      sequence: r.seq,
      time: toMs(r.time),
      type: r.type,
      message: r.message,
      noticeEndsAt: toMsOrNull(r.notice_ends_at),
      amount: Number(r.amount_micros),
    }));
  }

  /**
   * Reads: the lease's renter jobs (jobs.lease_id), their dependencies, and the active attempts
   * of its jobs. Writes nothing.
   */
  async jobs(leaseId: string): Promise<LeaseJobs> {
    const live = await this.db
      .selectFrom('jobs')
      .select(['id', 'state', 'gpus', 'nodes'])
      .where('lease_id', '=', leaseId)
      .where('state', 'not in', TERMINAL)
      .orderBy('id')
      .execute();
    const pendingIds = live.filter((j) => j.state === 'pending').map((j) => j.id);
    const waiting = new Set<string>();
    if (pendingIds.length > 0) {
      const rows = await this.db
        .selectFrom('job_dependencies')
        .innerJoin('jobs as dependency', 'dependency.id', 'job_dependencies.depends_on')
        .select('job_dependencies.job_id')
        .where('job_dependencies.job_id', 'in', pendingIds)
        .where('dependency.state', 'not in', TERMINAL)
        .execute();
      for (const row of rows) waiting.add(row.job_id);
    }
    const held =
      live.length === 0
        ? []
        : await this.db
            .selectFrom('attempts')
            .select(['node_id', 'gpu_indices'])
            .where(
              'job_id',
              'in',
              live.map((j) => j.id),
            )
            .where('state', 'in', ['dispatching', 'running'])
            .execute();
    return {
      pending: live
        .filter((j) => j.state === 'pending' && !waiting.has(j.id))
        .map((j) => ({ id: j.id, gpus: j.gpus, nodes: j.nodes })),
      held: held.map((h) => ({ nodeId: h.node_id, gpuIndices: h.gpu_indices })),
      live: live.map((j) => j.id),
    };
  }

  async setJob(leaseId: string, jobId: string): Promise<void> {
    await this.db.updateTable('leases').set({ job_id: jobId }).where('id', '=', leaseId).execute();
  }

  async addMoney(
    leaseId: string,
    money: { readonly gpuSeconds: number; readonly charged: number; readonly credited: number },
    meteredUntil: number | null,
  ): Promise<void> {
    await this.db
      .updateTable('leases')
      .set({
        gpu_seconds: sql`gpu_seconds + ${money.gpuSeconds}`,
        charged_micros: sql`charged_micros + ${money.charged}`,
        credited_micros: sql`credited_micros + ${money.credited}`,
        ...(meteredUntil === null ? {} : { metered_until: toDate(meteredUntil) }),
      })
      .where('id', '=', leaseId)
      .execute();
  }

  /**
   * Transaction "update lease". Reads: the lease (locked). Writes the change's patch and its
   * entries, numbered after the last; a null change writes nothing. Returns the lease as it is.
   */
  async update(
    leaseId: string,
    change: Parameters<LeaseRepository['update']>[1],
    now: number,
  ): Promise<LeaseRecord> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('leases')
        .selectAll()
        .where('id', '=', leaseId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new NotFoundError('lease', leaseId);
      const lease = leaseFromRow(row);
      const applied = change(lease);
      if (!applied || (Object.keys(applied.patch).length === 0 && applied.events.length === 0))
        return lease;
      const seq = row.last_event_seq;
      await trx
        .updateTable('leases')
        .set({ ...leasePatchToRow(applied.patch), last_event_seq: seq + applied.events.length })
        .where('id', '=', leaseId)
        .execute();
      if (applied.events.length > 0)
        await trx
          .insertInto('lease_events')
          .values(
            applied.events.map((e, i) => ({
              lease_id: leaseId,
              seq: seq + i + 1,
              time: toDate(now),
              type: e.type,
              message: e.message,
              notice_ends_at: e.noticeEndsAt === null ? null : toDate(e.noticeEndsAt),
              amount_micros: e.amount,
            })),
          )
          .execute();
      return { ...lease, ...applied.patch };
    });
  }
}
