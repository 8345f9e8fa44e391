import { Reason } from '@gantry/domain';
import { aCluster, aJob, aNode, aRunningJob } from '../testing/builders';
import { decideFifo, inSubmitOrder } from './fifo';
import { createPolicy, policyNames } from './index';

const placed = (snapshot: ReturnType<ReturnType<typeof aCluster>['snapshot']>) =>
  decideFifo(snapshot).placements.map((p) => ({
    job: p.jobId,
    on: p.allocations.map((a) => `${a.nodeId}:${a.gpuIndices.join(',')}`).join(' '),
  }));

describe('FIFO baseline', () => {
  it('places in submit order on the lowest-index node that fits, lowest GPUs first', () => {
    const snapshot = aCluster()
      .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
      .running(aRunningJob('r').on('n1', [0, 1, 2]))
      .pending(
        aJob('late').gpus(1).submitted(30),
        aJob('early').gpus(2).submitted(10),
        aJob('middle').gpus(1).submitted(20),
      )
      .snapshot();
    expect(placed(snapshot)).toEqual([
      { job: 'early', on: 'n2:0,1' },
      { job: 'middle', on: 'n1:3' },
      { job: 'late', on: 'n2:2' },
    ]);
  });

  it('blocks everything behind a head that does not fit, even jobs that would (no backfill)', () => {
    const decision = decideFifo(
      aCluster()
        .node(aNode('n1').gpus(4))
        .running(aRunningJob('r').on('n1', [0, 1]))
        .pending(aJob('big').gpus(4).submitted(1), aJob('small').gpus(1).submitted(2))
        .snapshot(),
    );
    expect(decision.placements).toEqual([]);
    expect(decision.waiting.map((w) => [w.jobId, w.reason])).toEqual([
      ['big', Reason.WaitingForResources],
      ['small', Reason.WaitingForResources],
    ]);
    expect(decision.waiting[0]!.message).toContain('the most free on a node is 2');
    expect(decision.waiting[1]!.message).toContain('behind big');
  });

  it('ignores class priority, quotas and job priority: submit order only', () => {
    const decision = decideFifo(
      aCluster()
        .node(aNode('n1').gpus(2))
        .pending(
          aJob('serving').gpus(2).cls('serving').priority(1000).submitted(5),
          aJob('background').gpus(2).cls('background').priority(0).submitted(4),
        )
        .snapshot(),
    );
    expect(decision.placements.map((p) => p.jobId)).toEqual(['background']);
    expect(decision.preemptions).toEqual([]);
  });

  it('places a gang on the first fitting nodes of one fabric domain, all or nothing', () => {
    const snapshot = aCluster()
      .node(
        aNode('a1').gpus(8).fabric('a'),
        aNode('b1').gpus(8).fabric('b'),
        aNode('a2').gpus(8).fabric('a'),
        aNode('b2').gpus(8).fabric('b'),
        aNode('b3').gpus(8).fabric('b'),
      )
      .running(aRunningJob('r').on('b1', [0]))
      .pending(aJob('gang').gang(2, 8).submitted(1), aJob('gang3').gang(3, 8).submitted(2))
      .snapshot();
    expect(placed(snapshot)).toEqual([
      { job: 'gang', on: 'a1:0,1,2,3,4,5,6,7 a2:0,1,2,3,4,5,6,7' },
    ]);
    const waiting = decideFifo(snapshot).waiting;
    expect(waiting.map((w) => [w.jobId, w.reason])).toEqual([['gang3', Reason.WaitingForGang]]);
  });

  it('passes over a job no node could ever hold instead of blocking the queue forever', () => {
    const decision = decideFifo(
      aCluster()
        .node(aNode('n1').gpus(4), aNode('n2').gpus(4))
        .pending(aJob('huge').gpus(16).submitted(1), aJob('next').gpus(1).submitted(2))
        .snapshot(),
    );
    expect(decision.placements.map((p) => p.jobId)).toEqual(['next']);
    expect(decision.waiting).toEqual([
      expect.objectContaining({ jobId: 'huge', reason: Reason.Unschedulable }),
    ]);
  });

  it('keeps to the asked GPU model and skips unschedulable nodes', () => {
    const snapshot = aCluster()
      .node(
        aNode('lost').gpus(8, 'H100-80GB').lost(),
        aNode('a').gpus(8, 'A100-80GB'),
        aNode('h').gpus(8, 'H100-80GB'),
      )
      .pending(aJob('h100').gpus(2, 'H100-80GB').submitted(1), aJob('any').gpus(1).submitted(2))
      .snapshot();
    expect(placed(snapshot)).toEqual([
      { job: 'h100', on: 'h:0,1' },
      { job: 'any', on: 'a:0' },
    ]);
  });

  it('counts GPUs of stopping jobs as busy', () => {
    const decision = decideFifo(
      aCluster()
        .node(aNode('n1').gpus(2))
        .running(aRunningJob('s').on('n1', [0, 1]).stopping())
        .pending(aJob('j').gpus(1))
        .snapshot(),
    );
    expect(decision.placements).toEqual([]);
  });

  it('reports at most maxConsidered waiting jobs behind the head', () => {
    const decision = decideFifo(
      aCluster()
        .node(aNode('n1').gpus(1))
        .running(aRunningJob('r').on('n1', [0]))
        .pending(...Array.from({ length: 10 }, (_, i) => aJob(`j${i}`).submitted(i)))
        .config({ maxConsidered: 4 })
        .snapshot(),
    );
    expect(decision.waiting).toHaveLength(4);
  });

  it('sorts only when the pending list is out of order', () => {
    const inOrder = [aJob('a').submitted(1).build(), aJob('b').submitted(2).build()];
    expect(inSubmitOrder(inOrder)).toBe(inOrder);
    expect(inSubmitOrder([...inOrder].reverse()).map((j) => j.id)).toEqual(['a', 'b']);
  });

  it('is registered by name; unknown names list the known ones', () => {
    expect(policyNames()).toContain('fifo');
    expect(createPolicy('fifo').name).toBe('fifo');
    expect(() => createPolicy('toString')).toThrow(/unknown policy 'toString' \(known: .*fifo/);
  });
});
