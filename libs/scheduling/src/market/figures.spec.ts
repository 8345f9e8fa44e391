import { aCluster, aJob, aNode, aRunningJob, type ClusterBuilder } from '../testing/builders';
import { marketFigures } from './figures';
import { marketTierOf } from './market-queues';

const H100 = 'H100-80GB';
const A100 = 'A100-80GB';

/** Queues of an internal organization and of the market. */
function withQueues(cluster: ClusterBuilder): ClusterBuilder {
  return cluster
    .queue('research')
    .queue('team-a', { parent: 'research', guaranteed: { [H100]: 6 } })
    .queue('team-b', { parent: 'research', guaranteed: { '*': 2 } })
    .queue('market')
    .queue('market-dedicated', { parent: 'market' })
    .queue('market-interruptible', { parent: 'market' });
}

describe('marketFigures', () => {
  const snapshot = withQueues(aCluster())
    .node(
      aNode('a1').gpus(8, H100).fabric('f1'),
      aNode('a2').gpus(8, H100).fabric('f1'),
      aNode('b1').gpus(8, H100).fabric('f2'),
      aNode('c1').gpus(4, A100).fabric('f2'),
      aNode('x1').gpus(8, H100).fabric('f2').lost(),
    )
    .running(
      aRunningJob('r1').queue('team-a').on('a1', [0, 1, 2, 3]).model(H100),
      aRunningJob('r2').queue('team-b').on('c1', [0]).model(A100),
      aRunningJob('r3').queue('team-b').on('b1', [0, 1]).model(H100).stopping(),
      aRunningJob('l1').queue('market-dedicated').on('a2', [0, 1]).model(H100),
      aRunningJob('l2').queue('market-interruptible').on('a2', [2, 3, 4, 5]).model(H100),
      aRunningJob('gone').queue('team-a').on('x1', [0, 1]).model(H100),
    )
    .pending(
      aJob('p1').queue('team-a').gpus(4, H100),
      aJob('p2').queue('team-b').gpus(2),
      aJob('p3').queue('team-a').gpus(2),
      aJob('p4').queue('market-dedicated').gpus(2, H100),
      aJob('p5').queue('team-b').gpus(0),
    )
    .snapshot(1000);
  const figures = marketFigures(snapshot);

  it('counts each model on schedulable nodes: internal, rented, free, pending, guarantees', () => {
    expect(figures.models.get(H100)).toEqual({
      model: H100,
      capacity: 24,
      // r1 and r3 (told to stop, it holds its GPUs until it exits).
      internalBusy: 6,
      rented: 6,
      rentedGuaranteed: 2,
      free: 12,
      // p1, and p2 and p3 (any model, so on every model they fit).
      pendingInternal: 8,
      pendingLeases: 2,
      pendingGuaranteedLeases: 2,
      internalGuaranteed: 8,
      // team-a: max(6 - 4 held, 6 pending); team-b: max(2 - 0 held (r3 is stopping), 2 pending).
      internalProtected: 8,
      marketGuarantee: 16,
      pressure: 8 / 24,
      utilization: 6 / 24,
    });
    expect(figures.models.get(A100)).toEqual({
      model: A100,
      capacity: 4,
      internalBusy: 1,
      rented: 0,
      rentedGuaranteed: 0,
      free: 3,
      pendingInternal: 4,
      pendingLeases: 0,
      pendingGuaranteedLeases: 0,
      // team-b's `*` guarantee covers every model.
      internalGuaranteed: 2,
      internalProtected: 4,
      marketGuarantee: 2,
      pressure: 1,
      utilization: 0.25,
    });
  });

  it('lists the schedulable nodes per model with their fabric domain and free GPUs', () => {
    expect(figures.shares.map((s) => [s.nodeName, s.domain, s.model, s.gpus, s.free])).toEqual([
      ['a1', 'f1', H100, 8, 4],
      ['a2', 'f1', H100, 8, 2],
      ['b1', 'f2', H100, 8, 6],
      ['c1', 'f2', A100, 4, 3],
    ]);
  });

  it('keeps a GPU a lease holds rented when a job inside the lease is listed on it too', () => {
    const inside = withQueues(aCluster())
      .node(aNode('a1').gpus(8, H100))
      .running(
        aRunningJob('renter-job').queue('renters').on('a1', [0, 1]).model(H100),
        aRunningJob('lease').queue('market-dedicated').on('a1', [0, 1, 2, 3]).model(H100),
      )
      .snapshot();
    expect(marketFigures(inside).models.get(H100)).toMatchObject({
      internalBusy: 0,
      rented: 4,
      free: 4,
    });
  });

  it('counts a pending job only on models whose nodes could ever hold it', () => {
    const gang = aCluster()
      .node(
        aNode('a1').gpus(8, H100).fabric('f1'),
        aNode('a2').gpus(8, H100).fabric('f2'),
        aNode('c1').gpus(4, A100).fabric('f1'),
        aNode('c2').gpus(4, A100).fabric('f1'),
      )
      .pending(
        aJob('wide').gpus(8),
        aJob('gang-h100').gang(2, 4, H100),
        aJob('gang-any').gang(2, 4),
      )
      .snapshot();
    const { models } = marketFigures(gang);
    // H100's two nodes are in different domains: no gang of 2 fits there.
    expect(models.get(H100)?.pendingInternal).toBe(8);
    expect(models.get(A100)?.pendingInternal).toBe(8);
  });

  it('gives a model without capacity no pressure and no utilization', () => {
    const empty = marketFigures(aCluster().node(aNode('n1').gpus(8).lost()).snapshot());
    expect(empty.models.size).toBe(0);
    const unknown = marketFigures(aCluster().node(aNode('n1').gpus(8, '')).snapshot());
    expect(unknown.models.size).toBe(0);
  });

  it.each([
    ['market-dedicated', 'dedicated'],
    ['market-interruptible', 'interruptible'],
    ['market-extra', 'market'],
    ['team-a', undefined],
    ['default', undefined],
  ])('tells the market queue %s as %p', (queue, product) => {
    const queues = new Map(
      withQueues(aCluster())
        .queue('market-extra', { parent: 'market' })
        .snapshot()
        .queues.map((q) => [q.name, q]),
    );
    expect(marketTierOf(queue, queues)).toBe(product);
  });
});
