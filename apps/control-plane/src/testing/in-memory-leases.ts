/** LeaseRepository over a Map for unit tests (the PostgreSQL one is tested in test/integration). */
import { InternalError, NotFoundError, type LeaseRecord, type LeaseState } from '@gantry/domain';
import type { LeaseEventRecord, LeaseJobs, LeaseRepository, NewLease, Scope } from '@gantry/store';

export class InMemoryLeaseRepository implements LeaseRepository {
  private readonly leases = new Map<string, LeaseRecord>();

  /** Test set-up: a lease as if bought and run. */
  add(lease: LeaseRecord): void {
    this.leases.set(lease.id, lease);
  }

  async get(scope: Scope, leaseId: string): Promise<LeaseRecord> {
    const lease = this.leases.get(leaseId);
    if (!lease || !(scope.admin || lease.tenantId === scope.tenantId))
      throw new NotFoundError('lease', leaseId);
    return lease;
  }

  async list(
    scope: Scope,
    states: readonly LeaseState[],
    pageSize: number,
  ): Promise<{ leases: LeaseRecord[]; nextPageToken: string }> {
    const leases = [...this.leases.values()]
      .filter((l) => scope.admin || l.tenantId === scope.tenantId)
      .filter((l) => states.length === 0 || states.includes(l.state))
      .sort((a, b) => b.id.localeCompare(a.id));
    return { leases: leases.slice(0, pageSize), nextPageToken: '' };
  }

  async byKey(tenantId: string, key: string): Promise<LeaseRecord | null> {
    return (
      [...this.leases.values()].find((l) => l.tenantId === tenantId && l.idempotencyKey === key) ??
      null
    );
  }

  async live(): Promise<LeaseRecord[]> {
    return [...this.leases.values()].filter((l) => l.state !== 'ended');
  }

  create(_lease: NewLease, _now: number): Promise<{ lease: LeaseRecord; created: boolean }> {
    throw new InternalError('InMemoryLeaseRepository.create is not used by these tests');
  }

  async events(): Promise<LeaseEventRecord[]> {
    return [];
  }

  async jobs(): Promise<LeaseJobs> {
    return { pending: [], held: [], live: [] };
  }

  async setJob(leaseId: string, jobId: string): Promise<void> {
    this.add({ ...(await this.get({ tenantId: '', admin: true }, leaseId)), jobId });
  }

  async addMoney(): Promise<void> {
    throw new InternalError('InMemoryLeaseRepository.addMoney is not used by these tests');
  }

  async update(): Promise<LeaseRecord> {
    throw new InternalError('InMemoryLeaseRepository.update is not used by these tests');
  }
}
