import {
  AlreadyExistsError,
  MAX_MICROS,
  NotFoundError,
  renterAccount,
  topUpPosting,
  ValidationError,
} from '@gantry/domain';
import { aTenant, openPostgresStore, type StoreHarness } from './harness';

describe('renters (PostgreSQL)', () => {
  let store: StoreHarness;

  beforeEach(async () => {
    store = await openPostgresStore('renters');
  });

  afterEach(async () => {
    await store.close();
  });

  it('creates a renter: a tenant of kind renter whose key authenticates, with an account at 0', async () => {
    const now = store.clock.now();
    const { renter, apiKey } = await store.renters.createRenter('acme', 5_000_000, now);
    expect(renter.tenant.id).toMatch(/^ten_/);
    expect(renter).toEqual({
      tenant: { id: renter.tenant.id, name: 'acme', admin: false, createdAt: now },
      spendLimit: 5_000_000,
      balance: 0,
      activeLeases: 0,
    });
    expect(await store.tenants.authenticate(apiKey.plaintext)).toEqual({
      tenantId: renter.tenant.id,
      tenantName: 'acme',
      admin: false,
    });
    expect(await store.renters.isRenter(renter.tenant.id)).toBe(true);
    expect(await store.ledger.balances()).toEqual(new Map([[renterAccount(renter.tenant.id), 0]]));
    expect(await store.renters.getRenter('acme')).toEqual(renter);
    expect((await store.tenants.listTenants()).map((t) => t.name)).toEqual(['acme']);
  });

  it('keeps internal tenants apart: not renters, not listed, not found by name', async () => {
    const internal = await aTenant(store, 'team-a');
    await store.renters.createRenter('acme', 0, store.clock.now());
    expect(await store.renters.isRenter(internal.tenantId)).toBe(false);
    expect(await store.renters.isRenter('ten_unknown')).toBe(false);
    expect((await store.renters.listRenters()).map((r) => r.tenant.name)).toEqual(['acme']);
    await expect(store.renters.getRenter('team-a')).rejects.toThrow(
      new NotFoundError('renter', 'team-a'),
    );
    await expect(store.renters.setSpendLimit('team-a', 1)).rejects.toThrow(
      new NotFoundError('renter', 'team-a'),
    );
  });

  it('shares the tenants namespace and validates like CreateTenant, writing nothing when refused', async () => {
    await aTenant(store, 'team-a');
    await expect(store.renters.createRenter('team-a', 0, store.clock.now())).rejects.toThrow(
      new AlreadyExistsError('tenant team-a already exists'),
    );
    await expect(store.renters.createRenter('Bad Name', 0, store.clock.now())).rejects.toThrow(
      ValidationError.field(
        'name',
        'must be 1-63 lower-case letters, digits or hyphens, starting with a letter',
      ),
    );
    await expect(store.renters.createRenter('admin', 0, store.clock.now())).rejects.toThrow(
      ValidationError.field('name', '"admin" is reserved'),
    );
    await expect(store.renters.createRenter('acme', -1, store.clock.now())).rejects.toThrow(
      ValidationError.field('spend_limit_micros', 'must be 0 or more'),
    );
    await expect(store.renters.createRenter('acme', 0.5, store.clock.now())).rejects.toThrow(
      ValidationError.field(
        'spend_limit_micros',
        `must be a whole number of micro-dollars up to ${MAX_MICROS}`,
      ),
    );
    expect(await store.renters.listRenters()).toEqual([]);
    expect((await store.tenants.listTenants()).map((t) => t.name)).toEqual(['team-a']);
  });

  it('lists renters by name with their balances, and sets spend limits', async () => {
    const { renter: b } = await store.renters.createRenter('bravo', 0, store.clock.now());
    await store.renters.createRenter('alpha', 7, store.clock.now());
    // A large amount, beyond 32 bits, read back exactly from bigint.
    await store.ledger.post(
      topUpPosting(b.tenant.id, 123_456_789_012, 'k1', ''),
      store.clock.now(),
    );
    expect(await store.renters.setSpendLimit('bravo', MAX_MICROS)).toMatchObject({
      spendLimit: MAX_MICROS,
      balance: 123_456_789_012,
    });
    const listed = await store.renters.listRenters();
    expect(listed.map((r) => [r.tenant.name, r.spendLimit, r.balance])).toEqual([
      ['alpha', 7, 0],
      ['bravo', MAX_MICROS, 123_456_789_012],
    ]);
    await expect(store.renters.setSpendLimit('bravo', -5)).rejects.toThrow(
      ValidationError.field('spend_limit_micros', 'must be 0 or more'),
    );
    await expect(store.renters.setSpendLimit('nobody', 5)).rejects.toThrow(
      new NotFoundError('renter', 'nobody'),
    );
  });
});
