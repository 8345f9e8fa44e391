/** LeaseRepository over a Map for unit tests (the PostgreSQL one is tested in test/integration). */
import { InternalError, NotFoundError, type LeaseRecord, type LeaseState } from '@gantry/domain';
import type { LeaseEventRecord, LeaseJobs, LeaseRepository, NewLease, Scope } from '@gantry/store';

const NO_JOBS: LeaseJobs = { pending: [], held: [], live: [] };

export class InMemoryLeaseRepository implements LeaseRepository {
  private readonly leases = new Map<string, LeaseRecord>();
  private readonly history = new Map<string, LeaseEventRecord[]>();

  constructor(
    /** The renter jobs in a lease (the store reads them from its jobs table). */
    private readonly jobsIn: (leaseId: string) => LeaseJobs = () => NO_JOBS,
  ) {}

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

  async events(leaseId: string, fromSequence: number): Promise<LeaseEventRecord[]> {
    return (this.history.get(leaseId) ?? []).filter((e) => e.sequence >= fromSequence);
  }

  async jobs(leaseId: string): Promise<LeaseJobs> {
    return this.jobsIn(leaseId);
  }

  async setJob(leaseId: string, jobId: string): Promise<void> {
    this.add({ ...(await this.get({ tenantId: '', admin: true }, leaseId)), jobId });
  }

  async addMoney(
    leaseId: string,
    money: { readonly gpuSeconds: number; readonly charged: number; readonly credited: number },
    meteredUntil: number | null,
  ): Promise<void> {
    const lease = await this.get({ tenantId: '', admin: true }, leaseId);
    this.add({
      ...lease,
      gpuSeconds: lease.gpuSeconds + money.gpuSeconds,
      chargedMicros: lease.chargedMicros + money.charged,
      creditedMicros: lease.creditedMicros + money.credited,
      meteredUntil: meteredUntil ?? lease.meteredUntil,
    });
  }

  async update(
    leaseId: string,
    change: Parameters<LeaseRepository['update']>[1],
    now: number,
  ): Promise<LeaseRecord> {
    const lease = await this.get({ tenantId: '', admin: true }, leaseId);
    const result = change(lease);
    if (!result) return lease;
    const updated = { ...lease, ...result.patch };
    this.add(updated);
    const history = this.history.get(leaseId) ?? [];
    this.history.set(leaseId, history);
    for (const event of result.events)
      history.push({ ...event, sequence: history.length + 1, time: now });
    return updated;
  }
}
