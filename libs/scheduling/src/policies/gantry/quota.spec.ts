import fc from 'fast-check';
import type { QueueSpec } from '../../model';
import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';
import { QuotaTracker } from './quota';

const M = 'H100-80GB';

describe('gantry policy: queues and quotas', () => {
  const tree = () =>
    aCluster()
      .node(aNode('n1').gpus(8), aNode('n2').gpus(8))
      .queue('org')
      .queue('research', { parent: 'org', guaranteed: { [M]: 8 }, max: { [M]: 12 } })
      .queue('prod', { parent: 'org', guaranteed: { [M]: 8 } });

  it('refuses a job that would take its queue past its maximum, with the exact message', () => {
    const decision = gantryPolicy.decide(
      tree()
        .running(aRunningJob('r').queue('research').on('n1', [0, 1, 2, 3, 4, 5, 6, 7]))
        .pending(aJob('more').queue('research').gpus(6))
        .snapshot(),
    );
    expect(decision.placements).toEqual([]);
    expect(decision.waiting).toEqual([
      {
        jobId: 'more',
        reason: 'WaitingForQuota',
        message: 'queue research would hold 14 H100-80GB GPUs; its maximum is 12',
      },
    ]);
  });

  it('applies an ancestor maximum too', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('n1').gpus(8))
        .queue('org', { max: { '*': 4 } })
        .queue('team', { parent: 'org' })
        .pending(aJob('j').queue('team').gpus(6))
        .snapshot(),
    );
    expect(decision.waiting[0]).toEqual({
      jobId: 'j',
      reason: 'WaitingForQuota',
      message: 'queue org would hold 6 H100-80GB GPUs; its maximum is 4',
    });
  });

  it('lets preemptible work borrow idle guaranteed capacity, flagged as borrowing', () => {
    const decision = gantryPolicy.decide(
      tree()
        .pending(aJob('burst').queue('research').gpus(8), aJob('burst2').queue('research').gpus(4))
        .snapshot(),
    );
    expect(decision.placements.map((p) => [p.jobId, p.borrowing])).toEqual([
      ['burst', false],
      ['burst2', true],
    ]);
  });

  it('does not let a non-preemptible class borrow', () => {
    const decision = gantryPolicy.decide(
      tree()
        .running(aRunningJob('r').queue('research').on('n1', [0, 1, 2, 3, 4, 5, 6, 7]))
        .pending(aJob('serve').queue('research').cls('serving').gpus(2))
        .snapshot(),
    );
    expect(decision.waiting).toEqual([
      {
        jobId: 'serve',
        reason: 'WaitingForQuota',
        message:
          "needs more than queue research's guaranteed 8 H100-80GB GPUs; only preemptible classes may borrow",
      },
    ]);
  });

  it('reclaims guaranteed capacity from a borrower of the same class, lowest loss first', () => {
    const now = 10 * 3_600_000;
    const decision = gantryPolicy.decide(
      tree()
        .running(
          aRunningJob('own').queue('research').on('n1', [0, 1, 2, 3, 4, 5, 6, 7]).started(0),
          aRunningJob('borrowed-old')
            .queue('research')
            .on('n2', [0, 1, 2, 3])
            .started(0)
            .checkpointed(now - 60_000),
          aRunningJob('borrowed-new')
            .queue('research')
            .on('n2', [4, 5, 6, 7])
            .started(now - 600_000),
        )
        .pending(aJob('mine').queue('prod').gpus(4))
        .snapshot(now),
    );
    expect(decision.placements).toEqual([]);
    expect(decision.preemptions).toEqual([
      {
        jobId: 'borrowed-old',
        forJobId: 'mine',
        cause: 'Reclaim',
        gracePeriodSeconds: 60,
        message: 'preempted for mine: queue prod reclaims its guaranteed GPUs',
      },
    ]);
    expect(decision.nominations).toEqual([{ jobId: 'mine', nodeIds: ['n2'] }]);
    expect(decision.waiting[0]).toMatchObject({ jobId: 'mine', reason: 'Preempting' });
  });

  it('does not reclaim for a job that is itself borrowing', () => {
    const decision = gantryPolicy.decide(
      tree()
        .running(
          aRunningJob('r').queue('research').on('n1', [0, 1, 2, 3, 4, 5, 6, 7]),
          aRunningJob('p').queue('prod').on('n2', [0, 1, 2, 3, 4, 5, 6, 7]),
        )
        .pending(aJob('extra').queue('prod').gpus(2))
        .snapshot(10 * 3_600_000),
    );
    expect(decision.preemptions).toEqual([]);
  });
});

describe('QuotaTracker.lendsSpare', () => {
  it('is isBorrowing and canGive in one answer, over guarantees, holdings and sizes', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
        // held near the guarantee, and small jobs: the edges are where the answers differ
        fc.integer({ min: -2, max: 2 }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(M, 'A100-80GB'),
        (guaranteed, off, gpus, model) => {
          const held = Math.max(0, (guaranteed ?? 4) + off);
          const queues: QueueSpec[] = [
            {
              name: 'q',
              parent: null,
              guaranteed: guaranteed === undefined ? {} : { [M]: guaranteed },
              max: {},
              weight: 1,
            },
          ];
          const quota = new QuotaTracker(queues, new Map([['q', new Map([[model, held]])]]));
          expect(quota.lendsSpare('q', model, gpus)).toBe(
            quota.isBorrowing('q', model) && quota.canGive('q', model, gpus),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
