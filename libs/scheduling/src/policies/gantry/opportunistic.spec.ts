import { LEASE_CLASSES } from '@gantry/domain';
import { DEFAULT_PRIORITY_CLASSES } from '../../model';
import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';

const MIN = 60_000;
const now = 100 * MIN;

// Interruptible leases are opportunistic (ADR 11): taken at once, invisible to internal packing.
describe('opportunistic jobs (interruptible leases) are taken at once', () => {
  const lease = { ...LEASE_CLASSES[2], gracePeriodSeconds: 120 };
  const leased = (endsAt: number) =>
    aCluster()
      .classes([...DEFAULT_PRIORITY_CLASSES, lease])
      .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
      .running(
        aRunningJob('internal').on('n1', [0, 1, 2, 3]).cls('background').endsAt(endsAt),
        aRunningJob('lease-a').on('n2', [0, 1]).cls(lease.name).queue('market-interruptible'),
        aRunningJob('lease-b')
          .on('n2', [2, 3])
          .cls(lease.name)
          .queue('market-interruptible')
          .endsAt(endsAt),
      );

  it('a job that would start soon still preempts leases rather than wait for them', () => {
    const decision = gantryPolicy.decide(
      leased(now + 10 * MIN)
        .pending(aJob('batch').cls('batch').gpus(4))
        .snapshot(now),
    );
    expect(decision.preemptions.map((p) => [p.jobId, p.forJobId, p.gracePeriodSeconds])).toEqual([
      ['lease-a', 'batch', 120],
      ['lease-b', 'batch', 120],
    ]);
    expect(decision.nominations).toEqual([{ jobId: 'batch', nodeIds: ['n2'] }]);
  });

  it('but takes no internal victim without the warrant', () => {
    const decision = gantryPolicy.decide(
      leased(now + 10 * MIN)
        .pending(aJob('big').cls('batch').gang(2, 4))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
  });

  it('with the rule off, a job that would start soon waits for the leases too', () => {
    const decision = gantryPolicy.decide(
      leased(now + 10 * MIN)
        .config({ opportunisticBelowPriority: 0 })
        .pending(aJob('batch').cls('batch').gpus(4))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
    expect(decision.waiting[0]).toMatchObject({ jobId: 'batch', reason: 'Reserved' });
  });

  describe('internal work packs as if leases were not there', () => {
    const mixed = () =>
      aCluster()
        .classes([...DEFAULT_PRIORITY_CLASSES, lease])
        .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
        .running(
          aRunningJob('internal').on('n1', [0, 1, 2]).cls('batch'),
          aRunningJob('l1').on('n1', [3]).cls(lease.name).queue('market-interruptible'),
          aRunningJob('l2').on('n2', [0, 1, 2]).cls(lease.name).queue('market-interruptible'),
        );

    it('takes the lease on the node it fits best rather than a free GPU among leases', () => {
      const decision = gantryPolicy.decide(
        mixed().pending(aJob('p').cls('batch').gpus(1)).snapshot(now),
      );
      expect(decision.placements).toEqual([]);
      expect(decision.preemptions.map((x) => x.jobId)).toEqual(['l1']);
      expect(decision.nominations).toEqual([{ jobId: 'p', nodeIds: ['n1'] }]);
    });

    it('waits on the node it preempted for, even when a GPU frees up elsewhere', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .classes([...DEFAULT_PRIORITY_CLASSES, lease])
          .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
          .running(
            aRunningJob('internal').on('n1', [0, 1, 2]).cls('batch'),
            aRunningJob('l1')
              .on('n1', [3])
              .cls(lease.name)
              .queue('market-interruptible')
              .stopping(),
            aRunningJob('l2').on('n2', [0, 1]).cls(lease.name).queue('market-interruptible'),
          )
          .pending(aJob('p').cls('batch').gpus(1).nominated('n1'))
          .snapshot(now),
      );
      expect(decision.placements).toEqual([]);
      expect(decision.preemptions).toEqual([]);
      expect(decision.waiting).toEqual([
        expect.objectContaining({ jobId: 'p', reason: 'Preempting' }),
      ]);
    });

    it('with the rule off, plain best fit puts it on the free GPU among leases', () => {
      const decision = gantryPolicy.decide(
        mixed()
          .config({ opportunisticBelowPriority: 0 })
          .pending(aJob('p').cls('batch').gpus(1))
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
      expect(decision.placements).toEqual([
        expect.objectContaining({
          jobId: 'p',
          allocations: [expect.objectContaining({ nodeId: 'n2', gpuIndices: [3] })],
        }),
      ]);
    });

    it('starts at once where a GPU is free and it fits as tightly', () => {
      const decision = gantryPolicy.decide(
        aCluster()
          .classes([...DEFAULT_PRIORITY_CLASSES, lease])
          .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
          .running(
            aRunningJob('internal').on('n1', [0, 1, 2]).cls('batch'),
            aRunningJob('other').on('n2', [0, 1, 2]).cls('batch'),
            aRunningJob('l1').on('n1', [3]).cls(lease.name).queue('market-interruptible'),
          )
          .pending(aJob('p').cls('batch').gpus(1))
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
      expect(decision.placements.map((x) => x.allocations[0]!.nodeId)).toEqual(['n2']);
    });
  });

  it('leases of equal bids never preempt each other (a higher bid does: outbid.spec.ts)', () => {
    const decision = gantryPolicy.decide(
      leased(now + 10 * MIN)
        .pending(aJob('lease-c').cls(lease.name).queue('market-interruptible').priority(0).gpus(2))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
  });
});
