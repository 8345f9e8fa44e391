import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';

const HOUR = 3_600_000;

describe('gantry policy: reservations and backfill', () => {
  // n1 has 6 of 8 GPUs busy until 2h, n2 has 7 busy until 4h: an 8-GPU job can start at 2h on n1.
  const cluster = () =>
    aCluster()
      .node(aNode('n1').gpus(8), aNode('n2').gpus(8))
      .running(
        aRunningJob('r1')
          .on('n1', [0, 1, 2, 3, 4, 5])
          .endsAt(2 * HOUR),
        aRunningJob('r2')
          .on('n2', [0, 1, 2, 3, 4, 5, 6])
          .endsAt(4 * HOUR),
      );

  it('reserves the earliest slot for a job that cannot start now', () => {
    const decision = gantryPolicy.decide(
      cluster().pending(aJob('big').gpus(8).priority(900)).snapshot(0),
    );
    expect(decision.reservations).toEqual([{ jobId: 'big', at: 2 * HOUR, nodeIds: ['n1'] }]);
    expect(decision.waiting[0]).toMatchObject({ jobId: 'big', reason: 'Reserved' });
    expect(decision.waiting[0]!.message).toContain(
      'reserved n1 from 1970-01-01T02:00:00.000Z (in ~2.0h)',
    );
  });

  it.each([
    [
      'ends before the reservation: runs on the reserved node',
      aJob('short').gpus(2).runtime(3600),
      ['short', 'n1'],
    ],
    [
      'would outlast it: runs on the other node',
      aJob('long')
        .gpus(1)
        .runtime(5 * 3600),
      ['long', 'n2'],
    ],
    [
      'has no estimate: runs on the other node',
      aJob('unknown').gpus(1).runtime(null),
      ['unknown', 'n2'],
    ],
  ])(
    'lets a smaller job backfill only when it does not delay the reservation (%s)',
    (_name, job, expected) => {
      const decision = gantryPolicy.decide(
        cluster().pending(aJob('big').gpus(8).priority(900), job).snapshot(0),
      );
      expect(decision.placements.map((p) => [p.jobId, p.allocations[0]!.nodeId])).toEqual([
        expected,
      ]);
    },
  );

  it('keeps a small long job waiting when the only free GPUs are reserved', () => {
    const decision = gantryPolicy.decide(
      cluster()
        .running(
          aRunningJob('r3')
            .on('n2', [7])
            .endsAt(4 * HOUR),
        )
        .pending(
          aJob('big').gpus(8).priority(900),
          aJob('long')
            .gpus(2)
            .runtime(5 * 3600),
        )
        .snapshot(0),
    );
    expect(decision.placements).toEqual([]);
    expect(decision.waiting.map((w) => [w.jobId, w.reason])).toEqual([
      ['big', 'Reserved'],
      ['long', 'Reserved'],
    ]);
    expect(decision.reservations.map((r) => [r.jobId, r.nodeIds])).toEqual([
      ['big', ['n1']],
      ['long', ['n2']],
    ]);
  });

  it('without backfill reservations, blocked jobs just wait with a reason', () => {
    const decision = gantryPolicy.decide(
      cluster().config({ backfill: false }).pending(aJob('big').gpus(8)).snapshot(0),
    );
    expect(decision.waiting).toEqual([
      {
        jobId: 'big',
        reason: 'WaitingForResources',
        message: 'needs 8 GPUs of H100-80GB on one node; the most free on any node is 2',
      },
    ]);
  });

  it('reserves a gang on the earliest nodes of one domain', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(
          aNode('a1').gpus(8).fabric('a'),
          aNode('a2').gpus(8).fabric('a'),
          aNode('b1').gpus(8).fabric('b'),
          aNode('b2').gpus(8).fabric('b'),
        )
        .running(
          aRunningJob('ra')
            .on('a1', [0])
            .endsAt(5 * HOUR),
          aRunningJob('rb1')
            .on('b1', [0])
            .endsAt(1 * HOUR),
          aRunningJob('rb2')
            .on('b2', [0])
            .endsAt(3 * HOUR),
        )
        .pending(aJob('gang').gang(2, 8))
        .snapshot(0),
    );
    expect(decision.reservations).toEqual([{ jobId: 'gang', at: 3 * HOUR, nodeIds: ['b1', 'b2'] }]);
  });
});
