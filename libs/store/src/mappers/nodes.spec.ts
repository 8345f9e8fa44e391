import { nodeFromRow, tenantFromRow } from './nodes';

describe('node and tenant rows', () => {
  it('maps a node row to its record', () => {
    const inventory = { gpus: [], simulated: true, hostname: 'h', cpuCount: 2, memoryBytes: 1 };
    expect(
      nodeFromRow({
        id: 'node_1',
        name: 'n1',
        address: 'n1:7070',
        state: 'lost',
        inventory,
        labels: { zone: 'a' },
        agent_version: '1.0.0',
        instance_id: 'i-1',
        token_lookup_id: 'aabb',
        token_hash: 'secret-hash-never-shown',
        registered_at: new Date(1_000),
        lost_at: new Date(2_000),
      }),
    ).toEqual({
      id: 'node_1',
      name: 'n1',
      address: 'n1:7070',
      state: 'lost',
      inventory,
      labels: { zone: 'a' },
      agentVersion: '1.0.0',
      instanceId: 'i-1',
      tokenLookupId: 'aabb',
      registeredAt: 1_000,
      lostAt: 2_000,
    });
  });

  it('maps a tenant row to its record', () => {
    expect(
      tenantFromRow({ id: 'ten_1', name: 'a', admin: false, created_at: new Date(5) }),
    ).toEqual({ id: 'ten_1', name: 'a', admin: false, createdAt: 5 });
  });
});
