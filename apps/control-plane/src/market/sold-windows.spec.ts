import { aLease } from '../testing/a-lease';
import { InMemoryLeaseRepository } from '../testing/in-memory-leases';
import { T0 } from '../testing/parts';
import { SoldWindows, soldWindow } from './sold-windows';

const HOUR = 3_600_000;

describe('the reserved windows sold', () => {
  const reserved = aLease({
    id: 'lease_r',
    product: 'reserved',
    gpus: 4,
    nodes: 2,
    state: 'pending',
    startedAt: null,
    windowStartsAt: T0 + HOUR,
    expiresAt: T0 + 3 * HOUR,
  });

  it('is a reserved lease not started yet, all its GPUs for its window', () => {
    expect(soldWindow(reserved, T0)).toEqual({
      gpuModel: 'H100-80GB',
      gpus: 8,
      from: T0 + HOUR,
      until: T0 + 3 * HOUR,
    });
  });

  it('leaves out other products, started leases and windows already past', () => {
    expect(soldWindow({ ...reserved, product: 'on-demand', windowStartsAt: null }, T0)).toBeNull();
    expect(soldWindow({ ...reserved, state: 'active' }, T0 + HOUR)).toBeNull();
    expect(soldWindow(reserved, T0 + 3 * HOUR)).toBeNull();
  });

  it('reads them from the live leases', async () => {
    const leases = new InMemoryLeaseRepository();
    leases.add(reserved);
    leases.add(aLease({ id: 'lease_o' }));
    leases.add({ ...reserved, id: 'lease_e', state: 'ended', endedAt: T0 });
    expect(await new SoldWindows(leases).reservedWindows(T0)).toEqual([
      { gpuModel: 'H100-80GB', gpus: 8, from: T0 + HOUR, until: T0 + 3 * HOUR },
    ]);
  });
});
