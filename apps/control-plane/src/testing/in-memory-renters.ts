/**
 * RenterRepository in memory, for unit tests only: renters are tenants of the in-memory tenant
 * repository (so their keys authenticate) with a spend limit; balances come from the ledger.
 */
import { NotFoundError, renterAccount, type Credential, type Micros } from '@gantry/domain';
import type { RenterRecord, RenterRepository } from '@gantry/store';
import { InMemoryLedgerRepository } from './in-memory-ledger';
import type { InMemoryTenantRepository } from './in-memory-tenants';

/** Renters in memory, with their ledger (`ledger`). */
export class InMemoryRenterRepository implements RenterRepository {
  /** Spend limits by tenant id: who is a renter. */
  private readonly limits = new Map<string, Micros>();
  readonly ledger = new InMemoryLedgerRepository((tenantId) => this.limits.get(tenantId));

  constructor(private readonly tenants: InMemoryTenantRepository) {}

  async createRenter(
    name: string,
    spendLimit: Micros,
    now: number,
  ): Promise<{ renter: RenterRecord; apiKey: Credential }> {
    const { tenant, apiKey } = await this.tenants.createTenant(name, now);
    this.limits.set(tenant.id, spendLimit);
    return { renter: await this.getRenter(name), apiKey };
  }

  async listRenters(): Promise<RenterRecord[]> {
    const names = [...this.tenants.tenants.values()]
      .filter((t) => this.limits.has(t.id))
      .map((t) => t.name)
      .sort();
    return Promise.all(names.map((n) => this.getRenter(n)));
  }

  async getRenter(name: string): Promise<RenterRecord> {
    const tenant = [...this.tenants.tenants.values()].find((t) => t.name === name);
    const spendLimit = tenant && this.limits.get(tenant.id);
    if (!tenant || spendLimit === undefined) throw new NotFoundError('renter', name);
    const balance = await this.ledger.balance(renterAccount(tenant.id));
    return { tenant, spendLimit, balance, activeLeases: 0 };
  }

  async isRenter(tenantId: string): Promise<boolean> {
    return this.limits.has(tenantId);
  }

  async setSpendLimit(name: string, spendLimit: Micros): Promise<RenterRecord> {
    const { tenant } = await this.getRenter(name);
    this.limits.set(tenant.id, spendLimit);
    return this.getRenter(name);
  }
}
