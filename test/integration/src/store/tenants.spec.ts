import {
  AlreadyExistsError,
  credentialFromPlaintext,
  newCredential,
  NotFoundError,
  parseCredential,
  ValidationError,
} from '@gantry/domain';
import { openPostgresStore, type StoreHarness } from './harness';

describe('tenants and API keys (PostgreSQL)', () => {
  let store: StoreHarness;

  beforeEach(async () => {
    store = await openPostgresStore('tenants');
  });

  afterEach(async () => {
    await store.close();
  });

  it('creates a tenant whose key authenticates as that tenant', async () => {
    const { tenant, apiKey } = await store.tenants.createTenant('team-a', store.clock.now());
    expect(tenant).toMatchObject({ name: 'team-a', admin: false, createdAt: store.clock.now() });
    expect(await store.tenants.authenticate(apiKey.plaintext)).toEqual({
      tenantId: tenant.id,
      tenantName: 'team-a',
      admin: false,
    });
    expect(await store.tenants.listTenants()).toEqual([tenant]);
  });

  it('stores only the hash of a key', async () => {
    const { apiKey } = await store.tenants.createTenant('team-a', store.clock.now());
    const rows = await store.database.db.selectFrom('api_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    // The secret is base64url and may itself contain '_': take it the way the store parses it.
    const { secret } = parseCredential('api-key', apiKey.plaintext)!;
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0]!.secret_hash).toBe(apiKey.secretHash);
  });

  it('rejects a wrong secret, an unknown key, a malformed key and a revoked key', async () => {
    const { apiKey } = await store.tenants.createTenant('team-a', store.clock.now());
    const wrongSecret = `${apiKey.plaintext.slice(0, -1)}${apiKey.plaintext.endsWith('A') ? 'B' : 'A'}`;
    expect(await store.tenants.authenticate(wrongSecret)).toBeUndefined();
    expect(await store.tenants.authenticate(newCredential('api-key').plaintext)).toBeUndefined();
    expect(await store.tenants.authenticate('Bearer nonsense')).toBeUndefined();
    expect(await store.tenants.authenticate('')).toBeUndefined();
    const nodeToken = newCredential('node-token');
    expect(await store.tenants.authenticate(nodeToken.plaintext)).toBeUndefined();

    const second = await store.tenants.createApiKey('team-a', store.clock.now());
    expect(await store.tenants.revokeApiKey(apiKey.lookupId, store.clock.now())).toBe(true);
    expect(await store.tenants.authenticate(apiKey.plaintext)).toBeUndefined();
    expect(await store.tenants.authenticate(second.plaintext)).toMatchObject({
      tenantName: 'team-a',
    });
    expect(await store.tenants.revokeApiKey(apiKey.lookupId, store.clock.now())).toBe(false);
  });

  it('refuses a taken name, a malformed name and the reserved admin name', async () => {
    await store.tenants.createTenant('team-a', store.clock.now());
    await expect(store.tenants.createTenant('team-a', store.clock.now())).rejects.toThrow(
      new AlreadyExistsError('tenant team-a already exists'),
    );
    for (const bad of ['Team', '1team', '', 'a'.repeat(64), 'team_a']) {
      const error: unknown = await store.tenants.createTenant(bad, 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).violations[0]!.field).toBe('name');
    }
    await expect(store.tenants.createTenant('admin', 0)).rejects.toBeInstanceOf(ValidationError);
    expect((await store.tenants.listTenants()).map((t) => t.name)).toEqual(['team-a']);
  });

  it('makes a key only for an existing tenant', async () => {
    await expect(store.tenants.createApiKey('ghost', 0)).rejects.toThrow(
      new NotFoundError('tenant', 'ghost'),
    );
  });

  it('ensures the admin tenant and its configured key, idempotently', async () => {
    const key = credentialFromPlaintext('api-key', newCredential('api-key').plaintext)!;
    const first = await store.tenants.ensureAdmin(key, store.clock.now());
    const again = await store.tenants.ensureAdmin(key, store.clock.advance(1000));
    expect(again).toEqual(first);
    expect(first).toMatchObject({ tenantName: 'admin', admin: true });
    expect(await store.tenants.authenticate(key.plaintext)).toEqual(first);
    const tenants = await store.tenants.listTenants();
    expect(tenants).toEqual([
      { id: first.tenantId, name: 'admin', admin: true, createdAt: store.clock.now() - 1000 },
    ]);

    // A revoked admin key from configuration works again after the next start.
    await store.tenants.revokeApiKey(key.lookupId, store.clock.now());
    expect(await store.tenants.authenticate(key.plaintext)).toBeUndefined();
    await store.tenants.ensureAdmin(key, store.clock.now());
    expect(await store.tenants.authenticate(key.plaintext)).toEqual(first);
  });

  it('lets two replicas ensure the admin at the same time', async () => {
    const key = newCredential('api-key');
    const [a, b] = await Promise.all([
      store.tenants.ensureAdmin(key, store.clock.now()),
      store.tenants.ensureAdmin(key, store.clock.now()),
    ]);
    expect(a).toEqual(b);
    expect(await store.tenants.listTenants()).toHaveLength(1);
  });

  it('refuses an admin key whose id belongs to another tenant', async () => {
    const { apiKey } = await store.tenants.createTenant('team-a', store.clock.now());
    await expect(store.tenants.ensureAdmin(apiKey, store.clock.now())).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    expect(await store.tenants.authenticate(apiKey.plaintext)).toMatchObject({
      tenantName: 'team-a',
    });
  });
});
