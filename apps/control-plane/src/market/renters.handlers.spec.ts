import { Metadata } from '@grpc/grpc-js';
import {
  AlreadyExistsError,
  MAX_MICROS,
  NotFoundError,
  PermissionDeniedError,
  renterAccount,
  TOPUPS_ACCOUNT,
  UnauthenticatedError,
  ValidationError,
} from '@gantry/domain';
import { bearerMetadata } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import { callHandler, failureOf } from '../testing/grpc-calls';
import { controlPlaneParts, T0 } from '../testing/parts';
import { RentersHandlers } from './renters.handlers';

async function setUp() {
  const parts = controlPlaneParts();
  const service = new RentersHandlers(
    parts.auth,
    parts.renters,
    parts.ledger,
    parts.clock,
  ).implementation({ finished: () => undefined });
  const admin = await parts.tenants.aTenant('admin', true);
  const internal = await parts.tenants.aTenant('team-a');
  return {
    ...parts,
    service,
    admin: bearerMetadata(admin.key),
    internal: bearerMetadata(internal.key),
  };
}

const topUp = (over: Partial<pb.TopUpRequest> = {}): pb.TopUpRequest => ({
  renter: 'acme',
  amountMicros: 5_000_000,
  idempotencyKey: 'wire-1',
  note: 'wire',
  ...over,
});

describe('RentersHandlers', () => {
  it('lets only admins in: internal tenants, renters and anonymous callers are refused', async () => {
    const { service, admin, internal } = await setUp();
    const { apiKey } = await callHandler(
      service.createRenter,
      { name: 'acme', spendLimitMicros: 0 },
      admin,
    );
    for (const [metadata, error, message] of [
      [internal, PermissionDeniedError, 'tenant team-a is not an admin'],
      [bearerMetadata(apiKey), PermissionDeniedError, 'tenant acme is not an admin'],
      [new Metadata(), UnauthenticatedError, undefined],
    ] as const) {
      const calls = [
        callHandler(service.listRenters, {}, metadata),
        callHandler(service.createRenter, { name: 'x', spendLimitMicros: 0 }, metadata),
        callHandler(service.topUp, topUp(), metadata),
        callHandler(service.setSpendLimit, { renter: 'acme', spendLimitMicros: 1 }, metadata),
      ];
      for (const call of calls) {
        const failure = await failureOf(call);
        expect(failure).toBeInstanceOf(error);
        if (message) expect(failure.message).toBe(message);
      }
    }
  });

  it('creates a renter whose key authenticates as a renter, and lists it', async () => {
    const { service, admin, auth } = await setUp();
    const created = await callHandler(
      service.createRenter,
      { name: 'acme', spendLimitMicros: 2_000_000 },
      admin,
    );
    expect(created.renter).toEqual({
      name: 'acme',
      balanceMicros: 0,
      spendLimitMicros: 2_000_000,
      activeLeases: 0,
      createTime: new Date(T0),
    });
    expect(await auth.renter(bearerMetadata(created.apiKey))).toMatchObject({ tenantName: 'acme' });
    expect((await callHandler(service.listRenters, {}, admin)).renters).toEqual([created.renter]);
    const taken = await failureOf(
      callHandler(service.createRenter, { name: 'acme', spendLimitMicros: 0 }, admin),
    );
    expect(taken).toBeInstanceOf(AlreadyExistsError);
  });

  it('tops up once per key: a retry is the same posting, another amount is ALREADY_EXISTS', async () => {
    const { service, admin, ledger, renters } = await setUp();
    await callHandler(service.createRenter, { name: 'acme', spendLimitMicros: 0 }, admin);
    const first = await callHandler(service.topUp, topUp(), admin);
    expect(first.renter?.balanceMicros).toBe(5_000_000);
    const again = await callHandler(service.topUp, topUp(), admin);
    expect(again).toEqual(first);
    const other = await failureOf(callHandler(service.topUp, topUp({ amountMicros: 1 }), admin));
    expect(other).toBeInstanceOf(AlreadyExistsError);
    expect(other.message).toBe(
      `posting topup/wire-1 already exists (${first.postingId}) with another body`,
    );
    const { tenant } = await renters.getRenter('acme');
    expect(await ledger.balances()).toEqual(
      new Map([
        [renterAccount(tenant.id), 5_000_000],
        [TOPUPS_ACCOUNT, -5_000_000],
      ]),
    );
    expect([...ledger.postings.values()]).toMatchObject([
      { idempotencyKey: 'topup/wire-1', kind: 'topup', description: 'wire' },
    ]);
  });

  it.each<[string, Partial<pb.TopUpRequest>, string, string]>([
    ['no renter', { renter: '' }, 'renter', 'is required'],
    ['a zero amount', { amountMicros: 0 }, 'amount_micros', 'must be more than 0'],
    ['a negative amount', { amountMicros: -5 }, 'amount_micros', 'must be more than 0'],
    [
      'a fraction of a micro-dollar',
      { amountMicros: 1.5 },
      'amount_micros',
      `must be a whole number of micro-dollars up to ${MAX_MICROS}`,
    ],
    [
      'too much at once',
      { amountMicros: MAX_MICROS + 1 },
      'amount_micros',
      `must be a whole number of micro-dollars up to ${MAX_MICROS}`,
    ],
    ['no key', { idempotencyKey: ' ' }, 'idempotency_key', 'is required'],
    [
      'a key too long',
      { idempotencyKey: 'k'.repeat(129) },
      'idempotency_key',
      'must be at most 128 printable characters',
    ],
    ['a note too long', { note: 'n'.repeat(1025) }, 'note', 'must be at most 1024 characters'],
  ])('refuses a top-up with %s', async (_what, over, field, message) => {
    const { service, admin, ledger } = await setUp();
    await callHandler(service.createRenter, { name: 'acme', spendLimitMicros: 0 }, admin);
    const failure = await failureOf(callHandler(service.topUp, topUp(over), admin));
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).violations).toEqual([{ field, message }]);
    expect(ledger.postings.size).toBe(0);
  });

  it('refuses a top-up for a tenant that is no renter (NOT_FOUND)', async () => {
    const { service, admin } = await setUp();
    const failure = await failureOf(callHandler(service.topUp, topUp({ renter: 'team-a' }), admin));
    expect(failure).toBeInstanceOf(NotFoundError);
    expect(failure.message).toBe('renter team-a not found');
  });

  it('sets a spend limit, validated', async () => {
    const { service, admin } = await setUp();
    await callHandler(service.createRenter, { name: 'acme', spendLimitMicros: 0 }, admin);
    const { renter } = await callHandler(
      service.setSpendLimit,
      { renter: 'acme', spendLimitMicros: 7 },
      admin,
    );
    expect(renter?.spendLimitMicros).toBe(7);
    const negative = await failureOf(
      callHandler(service.setSpendLimit, { renter: 'acme', spendLimitMicros: -1 }, admin),
    );
    expect((negative as ValidationError).violations).toEqual([
      { field: 'spend_limit_micros', message: 'must be 0 or more' },
    ]);
    const created = await failureOf(
      callHandler(service.createRenter, { name: 'beta', spendLimitMicros: 0.5 }, admin),
    );
    expect((created as ValidationError).violations).toEqual([
      {
        field: 'spend_limit_micros',
        message: `must be a whole number of micro-dollars up to ${MAX_MICROS}`,
      },
    ]);
    const missing = await failureOf(
      callHandler(service.setSpendLimit, { renter: '', spendLimitMicros: 1 }, admin),
    );
    expect((missing as ValidationError).violations).toEqual([
      { field: 'renter', message: 'is required' },
    ]);
  });
});
