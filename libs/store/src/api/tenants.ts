/** Tenants and their API keys; who a caller is (Scope). */
import type { Credential } from '@gantry/domain';

/** Who is asking: a tenant sees its own jobs; an admin sees every job. */
export interface Scope {
  readonly tenantId: string;
  readonly admin: boolean;
}

export interface TenantIdentity extends Scope {
  readonly tenantName: string;
}

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly admin: boolean;
  readonly createdAt: number;
}

export interface TenantRepository {
  /** Creates the `admin` tenant if missing and registers `key` for it (idempotent). */
  ensureAdmin(key: Credential, now: number): Promise<TenantIdentity>;
  /** AlreadyExistsError when the name is taken; ValidationError (field `name`) when malformed. */
  createTenant(name: string, now: number): Promise<{ tenant: TenantRecord; apiKey: Credential }>;
  listTenants(): Promise<TenantRecord[]>;
  /** NotFoundError when there is no such tenant. */
  createApiKey(tenantName: string, now: number): Promise<Credential>;
  /** The key's tenant, or undefined for a malformed, unknown or revoked key. */
  authenticate(presentedKey: string): Promise<TenantIdentity | undefined>;
}
