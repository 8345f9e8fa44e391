/** TenantRepository (libs/store/src/api.ts) in memory, for unit tests only. */
import {
  AlreadyExistsError,
  newCredential,
  newId,
  NotFoundError,
  type Clock,
  type Credential,
} from '@gantry/domain';
import type { TenantIdentity, TenantRecord, TenantRepository } from '@gantry/store';

export class InMemoryTenantRepository implements TenantRepository {
  readonly tenants = new Map<string, TenantRecord>();
  private readonly keys = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  /** A tenant and one API key of it, for tests that need a caller. */
  async aTenant(name: string, admin = false): Promise<{ tenant: TenantIdentity; key: string }> {
    const tenant = { id: newId('tenant', this.clock), name, admin, createdAt: this.clock.now() };
    this.tenants.set(tenant.id, tenant);
    const key = newCredential('api-key');
    this.keys.set(key.plaintext, tenant.id);
    return { tenant: { tenantId: tenant.id, tenantName: name, admin }, key: key.plaintext };
  }

  async ensureAdmin(key: Credential, now: number): Promise<TenantIdentity> {
    let admin = [...this.tenants.values()].find((t) => t.name === 'admin');
    if (!admin) {
      admin = { id: newId('tenant', this.clock), name: 'admin', admin: true, createdAt: now };
      this.tenants.set(admin.id, admin);
    }
    this.keys.set(key.plaintext, admin.id);
    return { tenantId: admin.id, tenantName: admin.name, admin: true };
  }

  async createTenant(name: string, now: number) {
    if ([...this.tenants.values()].some((t) => t.name === name))
      throw new AlreadyExistsError(`tenant ${name} already exists`);
    const tenant = { id: newId('tenant', this.clock), name, admin: false, createdAt: now };
    this.tenants.set(tenant.id, tenant);
    const apiKey = newCredential('api-key');
    this.keys.set(apiKey.plaintext, tenant.id);
    return { tenant, apiKey };
  }

  async listTenants(): Promise<TenantRecord[]> {
    return [...this.tenants.values()];
  }

  async createApiKey(tenantName: string, _now: number): Promise<Credential> {
    const tenant = [...this.tenants.values()].find((t) => t.name === tenantName);
    if (!tenant) throw new NotFoundError('tenant', tenantName);
    const key = newCredential('api-key');
    this.keys.set(key.plaintext, tenant.id);
    return key;
  }

  async authenticate(presentedKey: string): Promise<TenantIdentity | undefined> {
    const tenant = this.tenants.get(this.keys.get(presentedKey) ?? '');
    return tenant && { tenantId: tenant.id, tenantName: tenant.name, admin: tenant.admin };
  }
}
