import type { LeaseRequest } from '@gantry/domain';
import { aCluster, aJob, aNode, aRunningJob } from '../testing/builders';
import { availability } from './availability';
import { marketFigures } from './figures';

const H100 = 'H100-80GB';
const NOW = Date.UTC(2026, 11, 5, 12);
const HOUR = 3_600_000;

const request = (patch: Partial<LeaseRequest> = {}): LeaseRequest => ({
  product: 'on-demand',
  gpuModel: H100,
  gpus: 8,
  nodes: 1,
  durationSeconds: 3600,
  windowStartsAt: null,
  bidPerGpuHour: null,
  fabricDomain: null,
  ...patch,
});

// f1: a1 with 8 free, a2 with 4 free; f2: b1 with 8 free; one internal job waits for 4 GPUs.
const figures = marketFigures(
  aCluster()
    .queue('team-a', { guaranteed: { [H100]: 4 } })
    .node(aNode('a1').fabric('f1'), aNode('a2').fabric('f1'), aNode('b1').fabric('f2'))
    .running(aRunningJob('r1').queue('team-a').on('a2', [0, 1, 2, 3]))
    .pending(aJob('p1').queue('team-a').gpus(4))
    .snapshot(NOW),
);

describe('availability', () => {
  it.each<[string, Partial<LeaseRequest>, boolean, string]>([
    ['a whole node', {}, true, 'for sale now: 8 GPUs of H100-80GB on one node'],
    [
      'a whole node in a domain',
      { fabricDomain: 'f2' },
      true,
      'for sale now: 8 GPUs of H100-80GB on one node in fabric domain f2',
    ],
    [
      'two whole nodes in one domain',
      { nodes: 2 },
      false,
      'not for sale now: 2 nodes x 8 GPUs of H100-80GB in one fabric domain (1 node has that many GPUs for on-demand leases); a lease bought now waits for its GPUs',
    ],
    [
      // The pending job will take a2's 4 free GPUs (best fit): f1 has only a1 for sale.
      'two half nodes in one domain',
      { nodes: 2, gpus: 4 },
      false,
      'not for sale now: 2 nodes x 4 GPUs of H100-80GB in one fabric domain (1 node has that many GPUs for on-demand leases); a lease bought now waits for its GPUs',
    ],
    [
      'a model with no nodes',
      { gpuModel: 'B200-192GB', gpus: 1 },
      false,
      'not for sale now: 1 GPU of B200-192GB on one node (0 nodes have that many GPUs for on-demand leases); a lease bought now waits for its GPUs',
    ],
    [
      'an interruptible whole node',
      { product: 'interruptible' },
      true,
      'for sale now: 8 GPUs of H100-80GB on one node',
    ],
  ])('%s', (_what, patch, available, message) => {
    expect(availability(figures, request(patch))).toEqual({ available, message });
  });

  it('finds a reserved window in the market guarantee, less the windows sold', () => {
    // capacity 24, team-a guaranteed 4: the market guarantee is 20.
    const reserved = request({ product: 'reserved', nodes: 2, windowStartsAt: NOW + HOUR });
    expect(availability(figures, reserved)).toEqual({
      available: true,
      message: 'can be reserved for the window: 2 nodes x 8 GPUs of H100-80GB in one fabric domain',
    });
    const sold = [{ gpuModel: H100, gpus: 8, from: NOW + HOUR / 2, until: NOW + 2 * HOUR }];
    expect(availability(figures, reserved, sold)).toEqual({
      available: false,
      message: 'cannot be reserved for the window: 12 GPUs of H100-80GB are left, 16 wanted',
    });
    const later = [{ gpuModel: H100, gpus: 8, from: NOW + 2 * HOUR, until: NOW + 3 * HOUR }];
    expect(availability(figures, reserved, later).available).toBe(true);
  });

  it('refuses a reserved shape no domain could hold', () => {
    const reserved = request({
      product: 'reserved',
      nodes: 2,
      fabricDomain: 'f2',
      windowStartsAt: NOW + HOUR,
    });
    expect(availability(figures, reserved)).toEqual({
      available: false,
      message:
        'cannot be reserved: no 2 nodes x 8 GPUs of H100-80GB in one fabric domain (f2) (the nodes are too few or too small)',
    });
  });
});

// ADR 12: a bid may have the GPUs of interruptible leases that bid less, after their notice.
describe('availability by outbidding', () => {
  const lease = (id: string, cents: number) =>
    aRunningJob(id).queue('market-interruptible').cls('rental-interruptible').priority(cents);
  // n1's 4 GPUs: `low` ($1.50) holds 2, `mid` ($2.00) 2; nothing is free.
  const full = marketFigures(
    aCluster()
      .queue('market')
      .queue('market-interruptible', { parent: 'market' })
      .node(aNode('n1').gpus(4))
      .running(lease('low', 150).on('n1', [0, 1]), lease('mid', 200).on('n1', [2, 3]))
      .snapshot(NOW),
  );
  const bid = (gpus: number, micros: number) =>
    availability(full, request({ product: 'interruptible', gpus, bidPerGpuHour: micros }));

  it('a higher bid has the GPUs of the lower bids, once their notice has run', () => {
    expect(bid(2, 1_510_000)).toEqual({
      available: true,
      outbids: true,
      message:
        'for sale to this bid: 2 GPUs of H100-80GB on one node, by outbidding interruptible ' +
        'leases that bid less; the lease starts once their notice has run',
    });
    expect(bid(4, 2_010_000)).toMatchObject({ available: true, outbids: true });
  });

  it('an equal bid, or one short of enough leases, does not', () => {
    expect(bid(2, 1_500_000)).toMatchObject({ available: false });
    expect(bid(4, 1_510_000)).toMatchObject({ available: false });
    expect(bid(2, 1_500_000).outbids).toBeUndefined();
  });

  it('nor does a product other than interruptible, or a request without a bid', () => {
    expect(availability(full, request({ gpus: 2 })).available).toBe(false);
    expect(
      availability(full, { ...request({ product: 'interruptible', gpus: 2 }), bidPerGpuHour: null })
        .available,
    ).toBe(false);
  });
});
