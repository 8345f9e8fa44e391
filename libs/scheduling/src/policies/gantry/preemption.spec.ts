import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';

const MIN = 60_000;
const now = 100 * MIN;

describe('gantry policy: preemption', () => {
  const full = () => aCluster().node(aNode('n1').gpus(4), aNode('n2').gpus(4));

  it.each([
    [
      'the lowest class first',
      [
        aRunningJob('batch').on('n1', [0, 1, 2, 3]).cls('batch'),
        aRunningJob('bg').on('n2', [0, 1, 2, 3]).cls('background'),
      ],
      ['bg'],
    ],
    [
      'then the least work since the last checkpoint',
      [
        aRunningJob('fresh-ckpt')
          .on('n1', [0, 1, 2, 3])
          .checkpointed(now - MIN),
        aRunningJob('stale-ckpt')
          .on('n2', [0, 1, 2, 3])
          .checkpointed(now - 30 * MIN),
      ],
      ['fresh-ckpt'],
    ],
    [
      'as few victims as possible on one node',
      [
        aRunningJob('half-a')
          .on('n1', [0, 1])
          .checkpointed(now - MIN),
        aRunningJob('half-b')
          .on('n1', [2, 3])
          .checkpointed(now - MIN),
        aRunningJob('whole')
          .on('n2', [0, 1, 2, 3])
          .checkpointed(now - MIN),
      ],
      ['whole'],
    ],
  ])('chooses victims by %s', (_name, running, victims) => {
    const decision = gantryPolicy.decide(
      full()
        .running(...running)
        .pending(aJob('vip').cls('serving').gpus(4))
        .snapshot(now),
    );
    expect(decision.preemptions.map((p) => p.jobId)).toEqual(victims);
    expect(decision.preemptions.every((p) => p.cause === 'Priority' && p.forJobId === 'vip')).toBe(
      true,
    );
  });

  it('never preempts non-preemptible jobs, jobs before their minimum runtime, or protected jobs', () => {
    const decision = gantryPolicy.decide(
      full()
        .running(
          aRunningJob('serving').on('n1', [0, 1]).cls('serving'),
          aRunningJob('young')
            .on('n1', [2, 3])
            .cls('batch')
            .started(now - 5 * MIN),
          aRunningJob('protected')
            .on('n2', [0, 1, 2, 3])
            .cls('batch')
            .protectedUntil(now + MIN),
        )
        .pending(aJob('vip').cls('serving').gpus(2))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
    expect(decision.waiting[0]).toMatchObject({ jobId: 'vip', reason: 'Reserved' });
  });

  it('does not preempt for a job of the same or a lower class', () => {
    const decision = gantryPolicy.decide(
      full()
        .running(
          aRunningJob('a').on('n1', [0, 1, 2, 3]).cls('batch'),
          aRunningJob('b').on('n2', [0, 1, 2, 3]).cls('batch'),
        )
        .pending(aJob('same').cls('batch').gpus(1))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
  });

  it('waits for GPUs already being freed instead of preempting more', () => {
    const decision = gantryPolicy.decide(
      full()
        .running(
          aRunningJob('stopping').on('n1', [0, 1, 2, 3]).stopping(),
          aRunningJob('other').on('n2', [0, 1, 2, 3]).cls('background'),
        )
        .pending(aJob('vip').cls('serving').gpus(4))
        .snapshot(now),
    );
    expect(decision.preemptions).toEqual([]);
    expect(decision.nominations).toEqual([{ jobId: 'vip', nodeIds: ['n1'] }]);
    expect(decision.waiting[0]).toEqual({
      jobId: 'vip',
      reason: 'Preempting',
      message: 'waiting for jobs already stopping on n1',
    });
  });

  it('holds a nominated node for its job: a lower job may not take the freed GPUs', () => {
    const decision = gantryPolicy.decide(
      full()
        .running(aRunningJob('other').on('n2', [0, 1, 2, 3]).cls('background'))
        .pending(
          aJob('bg').cls('background').gpus(2).submitted(-1),
          aJob('vip').cls('serving').gpus(4).nominated('n1').runtime(null),
        )
        .snapshot(now),
    );
    expect(decision.placements.map((p) => [p.jobId, p.allocations[0]!.nodeId])).toEqual([
      ['vip', 'n1'],
    ]);
  });

  it('does not choose the same victim twice in one cycle', () => {
    const decision = gantryPolicy.decide(
      full()
        .running(
          aRunningJob('a').on('n1', [0, 1, 2, 3]).cls('background'),
          aRunningJob('b').on('n2', [0, 1, 2, 3]).cls('background'),
        )
        .pending(
          aJob('vip1').cls('serving').gpus(4),
          aJob('vip2').cls('serving').gpus(4).submitted(1),
        )
        .snapshot(now),
    );
    expect(decision.preemptions.map((p) => [p.jobId, p.forJobId])).toEqual([
      ['a', 'vip1'],
      ['b', 'vip2'],
    ]);
  });

  it('preempts across the nodes of one domain for a gang', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('a1').gpus(4).fabric('a'), aNode('a2').gpus(4).fabric('a'))
        .running(
          aRunningJob('x').on('a1', [0, 1, 2, 3]).cls('background'),
          aRunningJob('y').on('a2', [0]).cls('background'),
        )
        .pending(aJob('gang').cls('serving').gang(2, 4))
        .snapshot(now),
    );
    expect(decision.preemptions.map((p) => p.jobId).sort()).toEqual(['x', 'y']);
    expect(decision.nominations).toEqual([
      { jobId: 'gang', nodeIds: expect.arrayContaining(['a1', 'a2']) as string[] },
    ]);
  });

  describe('preemption is kept for real waits', () => {
    const HOUR = 3_600_000;
    const batchOver = (endsAt: number) =>
      aCluster()
        .node(aNode('n1').gpus(4))
        .running(aRunningJob('bg').on('n1', [0, 1, 2, 3]).cls('background').endsAt(endsAt));

    it('a preemptible job that could start soon reserves instead of preempting', () => {
      const decision = gantryPolicy.decide(
        batchOver(now + 10 * MIN)
          .pending(aJob('batch').cls('batch').gpus(4))
          .snapshot(now),
      );
      expect(decision.preemptions).toEqual([]);
      expect(decision.waiting[0]).toMatchObject({ jobId: 'batch', reason: 'Reserved' });
    });

    it('a preemptible job facing a long wait preempts', () => {
      const decision = gantryPolicy.decide(
        batchOver(now + 5 * HOUR)
          .pending(aJob('batch').cls('batch').gpus(4))
          .snapshot(now),
      );
      expect(decision.preemptions.map((p) => p.jobId)).toEqual(['bg']);
    });

    it('a serving job preempts at once, even when the GPUs free up soon', () => {
      const decision = gantryPolicy.decide(
        batchOver(now + MIN)
          .pending(aJob('vip').cls('serving').gpus(4))
          .snapshot(now),
      );
      expect(decision.preemptions.map((p) => p.jobId)).toEqual(['bg']);
    });
  });

  it('does not preempt for priority a job already preempted as often as allowed', () => {
    const worn = aRunningJob('worn').on('n1', [0, 1, 2, 3]).cls('background').build();
    const snapshot = aCluster()
      .node(aNode('n1').gpus(4))
      .pending(aJob('vip').cls('serving').gpus(4))
      .snapshot(now);
    const wornOut = gantryPolicy.decide({ ...snapshot, running: [{ ...worn, preemptions: 3 }] });
    expect(wornOut.preemptions).toEqual([]);
    const notYet = gantryPolicy.decide({ ...snapshot, running: [{ ...worn, preemptions: 2 }] });
    expect(notYet.preemptions.map((p) => p.jobId)).toEqual(['worn']);
  });
});
