import { LEASE_CLASSES } from '@gantry/domain';
import { DEFAULT_PRIORITY_CLASSES, type Decision } from '../../model';
import { aCluster, aJob, aNode, aRunningJob, type ClusterBuilder } from '../../testing/builders';
import { gantryPolicy } from './policy';

const MIN = 60_000;
const now = 100 * MIN;
const NOTICE = 120;
const lease = { ...LEASE_CLASSES[2], gracePeriodSeconds: NOTICE };
const QUEUE = 'market-interruptible';

/** A running interruptible lease bidding `bid` (cents: its priority) on `gpus` of `node`. */
const aLease = (id: string, bid: number, node: string, gpus: number[]) =>
  aRunningJob(id).on(node, gpus).cls(lease.name).queue(QUEUE).priority(bid);
/** A lease bought and waiting for its GPUs, bidding `bid`. */
const aBid = (id: string, bid: number, gpus: number) =>
  aJob(id).gpus(gpus).cls(lease.name).queue(QUEUE).priority(bid);
const market = (): ClusterBuilder => aCluster().classes([...DEFAULT_PRIORITY_CLASSES, lease]);
const preempted = (d: Decision) => d.preemptions.map((p) => [p.jobId, p.forJobId]);

// ADR 12: within an opportunistic class, a higher bid takes the GPUs of the lowest bids.
describe('bids compete within an opportunistic class', () => {
  const full = () =>
    market()
      .node(aNode('n1').gpus(4))
      .running(aLease('low', 150, 'n1', [0, 1]), aLease('mid', 200, 'n1', [2, 3]));

  it('a higher bid preempts the lowest bid, which gets its notice', () => {
    const decision = gantryPolicy.decide(
      full()
        .pending(aBid('high', 300, 2))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([
      {
        jobId: 'low',
        forJobId: 'high',
        cause: 'Priority',
        gracePeriodSeconds: NOTICE,
        message: expect.stringContaining(
          'a higher bid needs its GPUs (priority 300 over 150',
        ) as unknown,
      },
    ]);
    expect(decision.nominations).toEqual([{ jobId: 'high', nodeIds: ['n1'] }]);
    expect(decision.waiting).toEqual([
      expect.objectContaining({ jobId: 'high', reason: 'Preempting' }),
    ]);
  });

  it('an equal bid, or a lower one, preempts nothing', () => {
    for (const bid of [150, 100]) {
      const decision = gantryPolicy.decide(
        full()
          .pending(aBid('same', bid, 2))
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
      expect(decision.nominations).toEqual([]);
    }
  });

  it('takes as many of the lowest bids as it needs, lowest first, and only bids below its own', () => {
    const all = gantryPolicy.decide(
      full()
        .pending(aBid('big', 250, 4))
        .snapshot(now),
    );
    expect(preempted(all)).toEqual([
      ['low', 'big'],
      ['mid', 'big'],
    ]);
    // 175 outbids `low` but not `mid`: two GPUs are not enough, so nothing is preempted.
    const short = gantryPolicy.decide(
      full()
        .pending(aBid('big', 175, 4))
        .snapshot(now),
    );
    expect(short.preemptions).toEqual([]);
  });

  it('takes the lowest bid even when a higher one sits on the node the job would pack better on', () => {
    // n1 is the tight fit (internal work holds half of it, `mid` the rest); n2 is all `low`'s.
    // A plan costs the highest bid it displaces: the lowest bid goes first, wherever it is.
    const decision = gantryPolicy.decide(
      market()
        .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
        .running(
          aRunningJob('internal').on('n1', [0, 1]).cls('batch'),
          aLease('mid', 200, 'n1', [2, 3]),
          aLease('low', 150, 'n2', [0, 1, 2, 3]),
        )
        .pending(aBid('high', 300, 2))
        .snapshot(now),
    );
    expect(preempted(decision)).toEqual([['low', 'high']]);
    expect(decision.nominations).toEqual([{ jobId: 'high', nodeIds: ['n2'] }]);
  });

  it('never takes a lease already in its notice again, nor one of another class', () => {
    const decision = gantryPolicy.decide(
      market()
        .node(aNode('n1').gpus(4))
        .running(
          aLease('noticed', 100, 'n1', [0, 1]).stopping(),
          aRunningJob('bg').on('n1', [2, 3]).cls('background').priority(0),
        )
        .pending(aBid('high', 900, 4))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
  });

  it('two bidders do not take the GPUs back and forth: the one outbid cannot take them back at its bid', () => {
    // After `high` (300) took `low`'s (150) GPUs, `low` asks again at the same bid.
    const decision = gantryPolicy.decide(
      market()
        .node(aNode('n1').gpus(4))
        .running(aLease('high', 300, 'n1', [0, 1]), aLease('mid', 200, 'n1', [2, 3]))
        .pending(aBid('low-again', 150, 2))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
    // Only a strictly higher bid than the lowest holding GPUs takes them: the lowest bid rises.
    const rebid = gantryPolicy.decide(
      market()
        .node(aNode('n1').gpus(4))
        .running(aLease('high', 300, 'n1', [0, 1]), aLease('mid', 200, 'n1', [2, 3]))
        .pending(aBid('low-rebid', 250, 2))
        .snapshot(now),
    );
    expect(preempted(rebid)).toEqual([['mid', 'low-rebid']]);
  });

  it('a bid preempted for waits on its node for the notice, even after a higher bid found nothing', () => {
    const decision = gantryPolicy.decide(
      market()
        .node(aNode('n1').gpus(2), aNode('n2').gpus(2))
        .running(aLease('low', 150, 'n1', [0, 1]).stopping(), aLease('top', 500, 'n2', [0, 1]))
        // `first` goes first: n1 is held for `high`, and `top` outbids it: no plan. `high`, of
        // the same shape and a lower bid, still waits on the node held for it.
        .pending(aBid('first', 400, 2), aBid('high', 300, 2).nominated('n1'))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
    expect(decision.waiting).toEqual(
      expect.arrayContaining([
        {
          jobId: 'high',
          reason: 'Preempting',
          message: 'waiting for jobs already stopping on n1',
        },
      ]),
    );
    expect(decision.waiting.find((w) => w.jobId === 'first')?.reason).not.toBe('Preempting');
  });

  it('a gang outbids the lowest bids on nodes of one fabric domain', () => {
    const decision = gantryPolicy.decide(
      market()
        .node(aNode('a1').gpus(2).fabric('a'), aNode('a2').gpus(2).fabric('a'))
        .node(aNode('b1').gpus(2).fabric('b'), aNode('b2').gpus(2).fabric('b'))
        .running(
          aLease('a-low', 100, 'a1', [0, 1]),
          aLease('a-mid', 200, 'a2', [0, 1]),
          aLease('b-low', 110, 'b1', [0, 1]),
          aLease('b-low2', 120, 'b2', [0, 1]),
        )
        .pending(aJob('gang').gang(2, 2).cls(lease.name).queue(QUEUE).priority(250))
        .snapshot(now),
    );
    expect(preempted(decision)).toEqual([
      ['b-low', 'gang'],
      ['b-low2', 'gang'],
    ]);
  });

  it('nothing changes for classes that are not opportunistic', () => {
    // A higher job priority within `batch` preempts nothing, however long the wait.
    const batch = gantryPolicy.decide(
      market()
        .node(aNode('n1').gpus(4))
        .running(aRunningJob('r').on('n1', [0, 1, 2, 3]).cls('batch').priority(0).endsAt(null))
        .pending(aJob('p').gpus(4).cls('batch').priority(1000))
        .snapshot(now),
    );
    expect(batch.preemptions).toEqual([]);
    // With the rule off (no class opportunistic), bids do not compete either.
    const off = gantryPolicy.decide(
      full()
        .config({ opportunisticBelowPriority: 0 })
        .pending(aBid('high', 300, 2))
        .snapshot(now),
    );
    expect(off.preemptions).toEqual([]);
  });

  describe('internal work reclaims as before, whatever the bids', () => {
    const cluster = (lowBid: number, midBid: number) =>
      market()
        .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
        .running(
          aRunningJob('internal').on('n1', [0, 1]).cls('batch'),
          aLease('mid', midBid, 'n1', [2, 3]),
          aLease('low', lowBid, 'n2', [0, 1, 2, 3]),
        )
        .pending(aJob('p').gpus(2).cls('batch'))
        .snapshot(now);

    it('takes the lease on the node it packs best on (ADR 11), not the lowest bid', () => {
      const decision = gantryPolicy.decide(cluster(150, 200));
      expect(preempted(decision)).toEqual([['mid', 'p']]);
      expect(decision.preemptions[0]!.message).toContain('a batch job needs its GPUs');
      expect(gantryPolicy.decide(cluster(200, 150))).toEqual(decision);
    });
  });
});
