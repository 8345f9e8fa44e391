import { Metadata } from '@grpc/grpc-js';
import {
  chargePosting,
  creditPosting,
  PermissionDeniedError,
  topUpPosting,
  UnauthenticatedError,
  ValidationError,
} from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { controlPlaneParts, T0 } from '../testing/parts';
import { UsageHandlers } from './usage.handlers';
import { aLease } from '../testing/a-lease';

async function setUp() {
  const parts = controlPlaneParts();
  const service = new UsageHandlers(
    parts.auth,
    parts.ledger,
    parts.renters,
    parts.leases,
  ).implementation({
    finished: () => undefined,
  });
  const acme = await parts.renters.createRenter('acme', 0, T0);
  const other = await parts.renters.createRenter('other', 0, T0);
  const admin = await parts.tenants.aTenant('admin', true);
  const internal = await parts.tenants.aTenant('team-a');
  const tenantId = acme.renter.tenant.id;
  const lease = { id: 'lease_1', tenantId, product: 'on-demand' };
  parts.leases.add(aLease({ id: 'lease_1', tenantId }));
  await parts.ledger.post(topUpPosting(tenantId, 10_000_000, 'top', 'wire'), T0 + 1000);
  await parts.ledger.post(topUpPosting(other.renter.tenant.id, 3, 'top-other', ''), T0 + 1000);
  await parts.ledger.post(chargePosting(lease, 1_000_000, T0, T0 + 60_000, 60), T0 + 2000);
  await parts.ledger.post(topUpPosting(tenantId, 5, 'top-2', ''), T0 + 3000);
  await parts.ledger.post(creditPosting(lease, 250_000, 'fault', 'fault credit'), T0 + 4000);
  return {
    ...parts,
    service,
    acme: bearerMetadata(acme.apiKey.plaintext),
    admin: bearerMetadata(admin.key),
    internal: bearerMetadata(internal.key),
  };
}

describe('UsageHandlers', () => {
  it("returns the caller's whole statement, with the charges and credits in it", async () => {
    const { service, acme } = await setUp();
    const statement = await callHandler(service.getStatement, { leaseId: '' }, acme);
    expect(statement).toMatchObject({
      openingBalanceMicros: 0,
      closingBalanceMicros: 9_250_005,
      chargedMicros: 1_000_000,
      creditedMicros: 250_000,
    });
    expect(
      statement.lines.map((l) => [l.time, l.kind, l.amountMicros, l.balanceMicros, l.leaseId]),
    ).toEqual([
      [new Date(T0 + 1000), 'topup', 10_000_000, 10_000_000, ''],
      [new Date(T0 + 2000), 'charge', -1_000_000, 9_000_000, 'lease_1'],
      [new Date(T0 + 3000), 'topup', 5, 9_000_005, ''],
      [new Date(T0 + 4000), 'credit', 250_000, 9_250_005, 'lease_1'],
    ]);
    expect(statement.lines[0]).toMatchObject({ description: 'wire' });
  });

  it('cuts a period and a lease', async () => {
    const { service, acme } = await setUp();
    const period = await callHandler(
      service.getStatement,
      { leaseId: '', startTime: new Date(T0 + 2000), endTime: new Date(T0 + 4000) },
      acme,
    );
    expect(period).toMatchObject({
      openingBalanceMicros: 10_000_000,
      closingBalanceMicros: 9_000_005,
    });
    expect(period.lines.map((l) => l.amountMicros)).toEqual([-1_000_000, 5]);
    const lease = await callHandler(service.getStatement, { leaseId: 'lease_1' }, acme);
    expect(lease.lines.map((l) => l.kind)).toEqual(['charge', 'credit']);
    expect(lease).toMatchObject({ chargedMicros: 1_000_000, creditedMicros: 250_000 });
  });

  it('refuses a period that ends before it starts', async () => {
    const { service, acme } = await setUp();
    const failure = await failureOf(
      callHandler(
        service.getStatement,
        { leaseId: '', startTime: new Date(T0 + 2), endTime: new Date(T0 + 1) },
        acme,
      ),
    );
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).violations).toEqual([
      { field: 'end_time', message: 'must not be before start_time' },
    ]);
  });

  it('lets only renters in: internal tenants (admin too) are PERMISSION_DENIED', async () => {
    const { service, internal, admin } = await setUp();
    const denied = await failureOf(callHandler(service.getStatement, { leaseId: '' }, internal));
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied.message).toBe('tenant team-a is not a renter');
    const adminDenied = await failureOf(callHandler(service.getStatement, { leaseId: '' }, admin));
    expect(adminDenied.message).toBe('tenant admin is not a renter');
    const anonymous = await failureOf(
      callHandler(service.getStatement, { leaseId: '' }, new Metadata()),
    );
    expect(anonymous).toBeInstanceOf(UnauthenticatedError);
  });

  it('sums the usage of a period: charged, credited, topped up, GPU-seconds of the leases', async () => {
    const { service, acme, leases, renters } = await setUp();
    const tenantId = (await renters.getRenter('acme')).tenant.id;
    leases.add(
      aLease({
        id: 'lease_1',
        tenantId,
        state: 'ended',
        gpuSeconds: 120,
        startedAt: T0,
        endedAt: T0 + 60_000,
      }),
    );
    leases.add(
      aLease({ id: 'lease_2', tenantId, state: 'active', gpuSeconds: 30, startedAt: T0 + 5_000 }),
    );
    expect(await callHandler(service.getUsage, {}, acme)).toEqual({
      balanceMicros: 10_000_005 - 1_000_000 + 250_000,
      spendLimitMicros: 0,
      gpuSeconds: 150,
      chargedMicros: 1_000_000,
      creditedMicros: 250_000,
      toppedUpMicros: 10_000_005,
      activeLeases: 1,
    });
    const later = await callHandler(service.getUsage, { startTime: new Date(T0 + 3000) }, acme);
    expect(later).toMatchObject({ chargedMicros: 0, creditedMicros: 250_000, toppedUpMicros: 5 });
  });

  it('says NOT_FOUND for a statement of another renter’s lease', async () => {
    const { service, acme, leases } = await setUp();
    leases.add(aLease({ id: 'lease_x', tenantId: 'ten_someone_else' }));
    const error = await failureOf(callHandler(service.getStatement, { leaseId: 'lease_x' }, acme));
    expect(error.message).toBe('lease lease_x not found');
  });
});
