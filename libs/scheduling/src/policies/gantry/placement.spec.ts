import { aCluster, aJob, aNode, aRunningJob } from '../../testing/builders';
import { gantryPolicy } from './policy';

const placed = (d: ReturnType<typeof gantryPolicy.decide>) =>
  Object.fromEntries(
    d.placements.map((p) => [
      p.jobId,
      p.allocations.map((a) => `${a.nodeId}:${a.gpuIndices.join(',')}`),
    ]),
  );

describe('gantry policy: placement', () => {
  it('bin-packs small jobs onto partly used nodes, keeping whole nodes free', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('empty').gpus(8), aNode('busy').gpus(8))
        .running(aRunningJob('r').on('busy', [0, 1, 2, 3, 4, 5]))
        .pending(aJob('small').gpus(2), aJob('whole').gpus(8))
        .snapshot(),
    );
    expect(placed(decision)).toEqual({ small: ['busy:6,7'], whole: ['empty:0,1,2,3,4,5,6,7'] });
  });

  it('places a gang on nodes of one fabric domain, all or nothing', () => {
    const cluster = aCluster()
      .node(
        aNode('a1').gpus(8).fabric('a'),
        aNode('b1').gpus(8).fabric('b'),
        aNode('b2').gpus(8).fabric('b'),
      )
      .pending(aJob('gang').gang(2, 8));
    expect(placed(gantryPolicy.decide(cluster.snapshot()))).toEqual({
      gang: ['b1:0,1,2,3,4,5,6,7', 'b2:0,1,2,3,4,5,6,7'],
    });

    const split = aCluster()
      .node(aNode('a1').gpus(8).fabric('a'), aNode('b1').gpus(8).fabric('b'))
      .pending(aJob('gang').gang(2, 8).runtime(null))
      .snapshot();
    const decision = gantryPolicy.decide(split);
    expect(decision.placements).toEqual([]);
    expect(decision.waiting).toEqual([
      {
        jobId: 'gang',
        reason: 'Unschedulable',
        message:
          'needs 2 nodes × 8 GPUs of H100-80GB in one fabric domain; no set of nodes could ever hold it',
      },
    ]);
  });

  it('says a gang waits for nodes to be free together', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .config({ backfill: false })
        .node(aNode('n1').gpus(8).fabric('f'), aNode('n2').gpus(8).fabric('f'))
        .running(aRunningJob('r').on('n2', [0]))
        .pending(aJob('gang').gang(2, 8))
        .snapshot(),
    );
    expect(decision.waiting).toEqual([
      {
        jobId: 'gang',
        reason: 'WaitingForGang',
        message:
          'needs 2 nodes × 8 GPUs of H100-80GB in one fabric domain; at most 1 such nodes are free together',
      },
    ]);
  });

  it('honours the GPU model and never uses a lost node', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(
          aNode('a100').gpus(8, 'A100-80GB'),
          aNode('h100-lost').gpus(8).lost(),
          aNode('h100').gpus(2),
        )
        .pending(
          aJob('h').gpus(2, 'H100-80GB'),
          aJob('a').gpus(4, 'A100-80GB'),
          aJob('any').gpus(4),
        )
        .snapshot(),
    );
    expect(placed(decision)).toEqual({
      h: ['h100:0,1'],
      a: ['a100:0,1,2,3'],
      any: ['a100:4,5,6,7'],
    });
  });

  it('places CPU-only jobs without GPUs', () => {
    const decision = gantryPolicy.decide(
      aCluster().node(aNode('n').gpus(1)).pending(aJob('cpu').gpus(0)).snapshot(),
    );
    expect(placed(decision)).toEqual({ cpu: ['n:'] });
  });
});
