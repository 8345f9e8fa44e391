import type { Kysely, Transaction } from 'kysely';
import {
  AlreadyExistsError,
  newCredential,
  newId,
  NotFoundError,
  parseCredential,
  secretMatches,
  TENANT_NAME_PATTERN,
  ValidationError,
  type Credential,
} from '@gantry/domain';
import type { TenantIdentity, TenantRecord, TenantRepository } from '../api';
import type { Database } from '../database/database';
import { tenantFromRow } from '../mappers/nodes';
import { toDate } from '../mappers/time';
import type { Schema } from '../schema';

export const ADMIN_TENANT = 'admin';

/** Tenants and their API keys. Keys are stored as lookup id + sha256 of the secret only. */
export class KyselyTenantRepository implements TenantRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  /**
   * Transaction "ensure admin". Writes: the `admin` tenant unless it exists; the key (an
   * existing row with its lookup id is re-enabled with the configured hash). Reads back the
   * key's owner: AlreadyExistsError when that lookup id belongs to another tenant.
   */
  async ensureAdmin(key: Credential, now: number): Promise<TenantIdentity> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tenants')
        .values({
          id: newId('tenant', { now: () => now }),
          name: ADMIN_TENANT,
          admin: true,
          created_at: toDate(now),
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const admin = await trx
        .selectFrom('tenants')
        .selectAll()
        .where('name', '=', ADMIN_TENANT)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('api_keys')
        .values({
          lookup_id: key.lookupId,
          tenant_id: admin.id,
          secret_hash: key.secretHash,
          created_at: toDate(now),
          revoked_at: null,
        })
        .onConflict((oc) =>
          oc
            .column('lookup_id')
            .doUpdateSet({ secret_hash: key.secretHash, revoked_at: null })
            .where('api_keys.tenant_id', '=', admin.id),
        )
        .execute();
      const owner = await trx
        .selectFrom('api_keys')
        .select('tenant_id')
        .where('lookup_id', '=', key.lookupId)
        .executeTakeFirstOrThrow();
      if (owner.tenant_id !== admin.id) {
        throw new AlreadyExistsError(
          `the admin key's id ${key.lookupId} belongs to another tenant`,
        );
      }
      return { tenantId: admin.id, tenantName: admin.name, admin: admin.admin };
    });
  }

  /** Transaction "create tenant". Writes: one tenants row (kind internal) and its first key. */
  async createTenant(
    name: string,
    now: number,
  ): Promise<{ tenant: TenantRecord; apiKey: Credential }> {
    return this.db
      .transaction()
      .execute((trx) => insertTenant(trx, { name, kind: 'internal', now }));
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('name').execute();
    return rows.map(tenantFromRow);
  }

  async createApiKey(tenantName: string, now: number): Promise<Credential> {
    const tenant = await this.db
      .selectFrom('tenants')
      .select('id')
      .where('name', '=', tenantName)
      .executeTakeFirst();
    if (!tenant) throw new NotFoundError('tenant', tenantName);
    const apiKey = newCredential('api-key');
    await this.db
      .insertInto('api_keys')
      .values(keyRow(tenant.id, apiKey, now))
      .execute();
    return apiKey;
  }

  /** Revokes a key by its lookup id; false when there is no such active key. */
  async revokeApiKey(lookupId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: toDate(now) })
      .where('lookup_id', '=', lookupId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async authenticate(presentedKey: string): Promise<TenantIdentity | undefined> {
    const parsed = parseCredential('api-key', presentedKey);
    if (!parsed) return undefined;
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('tenants', 'tenants.id', 'api_keys.tenant_id')
      .select(['api_keys.secret_hash', 'api_keys.revoked_at', 'tenants.id', 'tenants.name'])
      .select('tenants.admin')
      .where('api_keys.lookup_id', '=', parsed.lookupId)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_hash)) {
      return undefined;
    }
    return { tenantId: row.id, tenantName: row.name, admin: row.admin };
  }
}

/** What a tenant is for: its own work (internal) or buying GPU hours (renter, ADR 10). */
export type TenantKind = 'internal' | 'renter';

/**
 * Writes a new tenant and its first API key inside the caller's transaction (a tenant, or a
 * renter with its other rows). ValidationError (field `name`) for a malformed or reserved name;
 * AlreadyExistsError when the name is taken. The key's plaintext is only in the result.
 */
export async function insertTenant(
  trx: Transaction<Schema>,
  input: { readonly name: string; readonly kind: TenantKind; readonly now: number },
): Promise<{ tenant: TenantRecord; apiKey: Credential }> {
  const { name, kind, now } = input;
  if (!TENANT_NAME_PATTERN.test(name)) {
    throw ValidationError.field(
      'name',
      'must be 1-63 lower-case letters, digits or hyphens, starting with a letter',
    );
  }
  if (name === ADMIN_TENANT) throw ValidationError.field('name', `"${ADMIN_TENANT}" is reserved`);
  const tenant: TenantRecord = {
    id: newId('tenant', { now: () => now }),
    name,
    admin: false,
    createdAt: now,
  };
  const apiKey = newCredential('api-key');
  const inserted = await trx
    .insertInto('tenants')
    .values({ id: tenant.id, name, admin: false, kind, created_at: toDate(now) })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new AlreadyExistsError(`tenant ${name} already exists`);
  await trx
    .insertInto('api_keys')
    .values(keyRow(tenant.id, apiKey, now))
    .execute();
  return { tenant, apiKey };
}

function keyRow(tenantId: string, key: Credential, now: number) {
  return {
    lookup_id: key.lookupId,
    tenant_id: tenantId,
    secret_hash: key.secretHash,
    created_at: toDate(now),
    revoked_at: null,
  };
}
