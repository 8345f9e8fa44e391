import type { LeaseProduct } from '@gantry/domain';
import type { ClusterSnapshot } from '../model';
import { aCluster, aJob, aNode, aRunningJob } from '../testing/builders';
import { offers, type ReservedWindow } from './offers';
import type { PriceDerivation, PriceLookup } from './pricing';

const H100 = 'H100-80GB';
const A100 = 'A100-80GB';
const NOW = Date.UTC(2026, 11, 5, 12);
const HOUR = 3_600_000;

/** Prices by product (every model): on-demand $2, interruptible $1, reserved $1.50. */
const PRICES: Record<LeaseProduct, number> = {
  'on-demand': 2_000_000,
  interruptible: 1_000_000,
  reserved: 1_500_000,
};
const everyModel: PriceLookup = (_model, product) =>
  ({ price: PRICES[product] }) as PriceDerivation;

const market = () =>
  aCluster()
    .queue('market')
    .queue('market-dedicated', { parent: 'market' })
    .queue('market-interruptible', { parent: 'market' });

/**
 * [product ('outbid' for an interruptible outbid line), model, domain, GPUs, most on one node],
 * in the order offers lists them.
 */
type Row = [LeaseProduct | 'outbid', string, string, number, number];

function summary(
  snapshot: ClusterSnapshot,
  windows: ReservedWindow[] = [],
  prices = everyModel,
): Row[] {
  return offers(snapshot, prices, NOW, { horizonSeconds: 3600, reservedWindows: windows }).map(
    (o) => [o.outbid ? 'outbid' : o.product, o.gpuModel, o.fabricDomain, o.gpus, o.maxGpusPerNode],
  );
}

describe('offers', () => {
  it.each<[string, ClusterSnapshot, Row[]]>([
    [
      'an idle cluster sells every GPU, per fabric domain; reserved from the whole capacity',
      market()
        .node(aNode('a1').fabric('f1'), aNode('a2').fabric('f1'), aNode('b1').gpus(4).fabric('f2'))
        .snapshot(NOW),
      [
        ['on-demand', H100, 'f1', 16, 8],
        ['on-demand', H100, 'f2', 4, 4],
        ['interruptible', H100, 'f1', 16, 8],
        ['interruptible', H100, 'f2', 4, 4],
        ['reserved', H100, '', 20, 8],
      ],
    ],
    [
      'pending internal work keeps what it needs, taken from the fullest nodes',
      market()
        .node(aNode('a1').fabric('f1'), aNode('a2').fabric('f1'))
        .running(aRunningJob('r1').on('a1', [0, 1, 2, 3, 4, 5]))
        .pending(aJob('p1').gpus(2))
        .snapshot(NOW),
      [
        ['on-demand', H100, 'f1', 8, 8],
        ['interruptible', H100, 'f1', 8, 8],
        ['reserved', H100, '', 16, 8],
      ],
    ],
    [
      'an unmet internal guarantee is never sold on demand, nor reserved, but may be borrowed interruptibly',
      market()
        .queue('team-a', { guaranteed: { [H100]: 6 } })
        .node(aNode('a1'))
        .running(aRunningJob('r1').queue('team-a').on('a1', [0]))
        .snapshot(NOW),
      [
        ['on-demand', H100, '', 2, 2],
        ['interruptible', H100, '', 7, 7],
        ['reserved', H100, '', 2, 2],
      ],
    ],
    [
      'pending internal demand beyond a guarantee counts in full',
      market()
        .queue('team-a', { guaranteed: { [H100]: 2 } })
        .node(aNode('a1'))
        .pending(aJob('p1').queue('team-a').gpus(5))
        .snapshot(NOW),
      [
        ['on-demand', H100, '', 3, 3],
        ['interruptible', H100, '', 3, 3],
        ['reserved', H100, '', 6, 6],
      ],
    ],
    [
      'leases bought and waiting come first; running non-preemptible leases use up the market guarantee',
      market()
        .node(aNode('a1'), aNode('a2'))
        .running(aRunningJob('l1').queue('market-dedicated').on('a2', [0, 1, 2, 3]))
        .pending(aJob('p1').queue('market-dedicated').gpus(4, H100))
        .snapshot(NOW),
      [
        ['on-demand', H100, '', 8, 8],
        ['interruptible', H100, '', 8, 8],
        ['reserved', H100, '', 8, 8],
      ],
    ],
    [
      'interruptible leases running count as busy but not against the market guarantee',
      market()
        .node(aNode('a1'))
        .running(aRunningJob('l1').queue('market-interruptible').on('a1', [0, 1, 2, 3, 4, 5]))
        .snapshot(NOW),
      [
        ['on-demand', H100, '', 2, 2],
        ['interruptible', H100, '', 2, 2],
        ['outbid', H100, '', 6, 8], // a higher bid may have the lease's 6 GPUs and the 2 free
        ['reserved', H100, '', 8, 8],
      ],
    ],
    [
      'a pending job no node of a model could hold does not keep that model back',
      market()
        .node(aNode('a1').gpus(8, H100), aNode('c1').gpus(4, A100))
        .pending(aJob('p1').gpus(8))
        .snapshot(NOW),
      [
        ['on-demand', A100, '', 4, 4],
        ['interruptible', A100, '', 4, 4],
        ['reserved', A100, '', 4, 4],
        ['reserved', H100, '', 8, 8],
      ],
    ],
    [
      'lost nodes and GPUs of no catalog model are not for sale',
      market()
        .node(aNode('a1').gpus(8).lost(), aNode('u1').gpus(4, ''), aNode('a2').gpus(2))
        .snapshot(NOW),
      [
        ['on-demand', H100, '', 2, 2],
        ['interruptible', H100, '', 2, 2],
        ['reserved', H100, '', 2, 2],
      ],
    ],
  ])('%s', (_what, snapshot, expected) => {
    const rows = summary(snapshot);
    const order = (r: Row) =>
      `${r[1]} ${['on-demand', 'interruptible', 'outbid', 'reserved'].indexOf(r[0])} ${r[2]}`;
    expect([...rows].sort((a, b) => order(a).localeCompare(order(b)))).toEqual(expected);
  });

  it('forecasts on-demand and interruptible offers over the horizon, reserved for a window from a minute on', () => {
    const snapshot = market().node(aNode('a1')).snapshot(NOW);
    const list = offers(snapshot, everyModel, NOW, { horizonSeconds: 7200 });
    expect(list).toEqual([
      expect.objectContaining({
        product: 'on-demand',
        availableFrom: NOW,
        availableUntil: NOW + 2 * HOUR,
        pricePerGpuHour: 2_000_000,
      }),
      expect.objectContaining({
        product: 'interruptible',
        availableFrom: NOW,
        availableUntil: NOW + 2 * HOUR,
        pricePerGpuHour: 1_000_000,
      }),
      expect.objectContaining({
        product: 'reserved',
        availableFrom: NOW + 60_000,
        availableUntil: NOW + 60_000 + 30 * 24 * HOUR,
        pricePerGpuHour: 1_500_000,
      }),
    ]);
  });

  it('takes reserved windows already sold that overlap the offer window off the reserved offer', () => {
    const snapshot = market().node(aNode('a1'), aNode('a2')).snapshot(NOW);
    const windows: ReservedWindow[] = [
      { gpuModel: H100, gpus: 4, from: NOW + 24 * HOUR, until: NOW + 48 * HOUR },
      { gpuModel: H100, gpus: 8, from: NOW + 60 * 24 * HOUR, until: NOW + 61 * 24 * HOUR },
      { gpuModel: A100, gpus: 8, from: NOW + HOUR, until: NOW + 2 * HOUR },
    ];
    expect(summary(snapshot, windows).filter((r) => r[0] === 'reserved')).toEqual([
      ['reserved', H100, '', 12, 8],
    ]);
  });

  it('leaves out products without a price', () => {
    const snapshot = market().node(aNode('a1'), aNode('c1').gpus(4, A100)).snapshot(NOW);
    const onlyH100OnDemand: PriceLookup = (model, product) =>
      model === H100 && product === 'on-demand' ? ({ price: 1 } as PriceDerivation) : undefined;
    expect(summary(snapshot, [], onlyH100OnDemand)).toEqual([['on-demand', H100, '', 8, 8]]);
  });
});

// ADR 12: the GPUs interruptible leases hold are offered to a higher bid.
describe('outbid offers', () => {
  const CENT = 10_000;
  const lease = (id: string, bid: number) =>
    aRunningJob(id).queue('market-interruptible').cls('rental-interruptible').priority(bid);
  const outbid = (snapshot: ClusterSnapshot) =>
    offers(snapshot, everyModel, NOW, { horizonSeconds: 3600 })
      .filter((o) => o.outbid)
      .map((o) => [o.fabricDomain, o.gpus, o.maxGpusPerNode, o.pricePerGpuHour]);

  it('price the GPUs leases hold at a cent above the highest bid among them, per fabric domain', () => {
    const snapshot = market()
      .node(aNode('a1').gpus(4).fabric('f1'), aNode('a2').gpus(4).fabric('f1'))
      .node(aNode('b1').gpus(4).fabric('f2'))
      .running(
        lease('low', 150).on('a1', [0, 1]),
        lease('mid', 200).on('a1', [2, 3]),
        lease('other', 120).on('a2', [0]),
        lease('b', 300).on('b1', [0, 1, 2, 3]),
      )
      .snapshot(NOW);
    expect(outbid(snapshot)).toEqual([
      ['f1', 5, 4, 201 * CENT], // a1's 4; a2 has 1 held and 3 free, 4 in all
      ['f2', 4, 4, 301 * CENT],
    ]);
  });

  it('never under the floor, and leave out leases in their notice and bids no bid can beat', () => {
    const snapshot = market()
      .node(aNode('a1').gpus(4))
      .running(
        lease('cheap', 10).on('a1', [0]), // $0.10, under the $1 floor
        lease('noticed', 500).on('a1', [1]).stopping(),
        lease('top', 1000).on('a1', [2]), // $10 and above: the top priority
      )
      .snapshot(NOW);
    expect(outbid(snapshot)).toEqual([['', 1, 2, 1_000_000]]);
  });

  it('are not listed when no interruptible lease runs (on-demand leases are not displaced)', () => {
    const snapshot = market()
      .node(aNode('a1').gpus(4))
      .running(aRunningJob('od').queue('market-dedicated').cls('rental-on-demand').on('a1', [0]))
      .snapshot(NOW);
    expect(outbid(snapshot)).toEqual([]);
  });
});
