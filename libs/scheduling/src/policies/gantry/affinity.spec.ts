import {
  aCluster,
  aJob,
  aNode,
  aRunningJob,
  type ClusterBuilder,
  type JobBuilder,
  type NodeBuilder,
} from '../../testing/builders';
import { gantryPolicy } from './policy';

const HOUR = 3_600_000;
const LLAMA = 'meta-llama/Llama-3.1-8B';

const placed = (d: ReturnType<typeof gantryPolicy.decide>) =>
  Object.fromEntries(
    d.placements.map((p) => [
      p.jobId,
      p.allocations.map((a) => `${a.nodeId}:${a.gpuIndices.join(',')}`).join(' '),
    ]),
  );

/** `tight` has 2 free GPUs (best fit for a 2-GPU job); `warm` is empty but for its engines. */
function twoNodes(warm: NodeBuilder): ClusterBuilder {
  return aCluster()
    .node(aNode('tight').gpus(8), warm)
    .running(aRunningJob('r').on('tight', [0, 1, 2, 3, 4, 5]));
}

describe('gantry policy: engine affinity', () => {
  it.each<[string, NodeBuilder, JobBuilder, string]>([
    [
      'an idle warm engine of its model: the warm node, its exact GPUs',
      aNode('warm').gpus(8).warm(LLAMA, [4, 5]),
      aJob('j').gpus(2).engine(LLAMA),
      'warm:4,5',
    ],
    [
      'the same node for a job without an engine: best fit',
      aNode('warm').gpus(8).warm(LLAMA, [4, 5]),
      aJob('j').gpus(2),
      'tight:6,7',
    ],
    [
      'a busy warm engine: best fit',
      aNode('warm').gpus(8).warm(LLAMA, [4, 5], { busy: true }),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'a warm engine of more GPUs than the job asks for: best fit',
      aNode('warm').gpus(8).warm(LLAMA, [4, 5, 6, 7]),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'a warm engine of fewer GPUs than the job asks for: best fit',
      aNode('warm').gpus(8).warm(LLAMA, [4]),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'a warm engine of another revision: best fit',
      aNode('warm').gpus(8).warm(LLAMA, [4, 5], { revision: 'v2' }),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'a warm engine of another model: best fit',
      aNode('warm').gpus(8).warm('Qwen/Qwen2.5-7B', [4, 5]),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'a warm engine on a lost node: best fit',
      aNode('warm').gpus(8).warm(LLAMA, [4, 5]).lost(),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'a warm engine on GPUs the node does not have: best fit',
      aNode('warm').gpus(4).warm(LLAMA, [4, 5]),
      aJob('j').gpus(2).engine(LLAMA),
      'tight:6,7',
    ],
    [
      'the first of several warm engines that fit, in snapshot order',
      aNode('warm').gpus(8).warm(LLAMA, [0], { busy: true }).warm(LLAMA, [3]).warm(LLAMA, [1]),
      aJob('j').gpus(1).engine(LLAMA),
      'warm:3',
    ],
  ])('places a job given %s', (_name, warm, job, expected) => {
    const decision = gantryPolicy.decide(twoNodes(warm).pending(job).snapshot());
    expect(placed(decision)).toEqual({ j: expected });
    expect(decision.waiting).toEqual([]);
  });

  it('does not prefer a warm engine whose GPUs are partly held, and the job does not wait', () => {
    const decision = gantryPolicy.decide(
      twoNodes(aNode('warm').gpus(8).warm(LLAMA, [4, 5]))
        .running(aRunningJob('on-warm').on('warm', [5]))
        .pending(aJob('j').gpus(2).engine(LLAMA))
        .snapshot(),
    );
    expect(placed(decision)).toEqual({ j: 'tight:6,7' });
    expect(decision.waiting).toEqual([]);
  });

  it('gives one warm engine to one job; the next job of the model gets the usual best fit', () => {
    const decision = gantryPolicy.decide(
      twoNodes(aNode('warm').gpus(8).warm(LLAMA, [4, 5]))
        .pending(
          aJob('first').gpus(2).engine(LLAMA).submitted(1),
          aJob('second').gpus(2).engine(LLAMA).submitted(2),
          aJob('third').gpus(2).engine(LLAMA).submitted(3),
        )
        .snapshot(),
    );
    expect(placed(decision)).toEqual({
      first: 'warm:4,5',
      second: 'tight:6,7',
      third: 'warm:0,1',
    });
  });

  it('does not prefer a warm engine whose GPUs a job placed earlier in the cycle took', () => {
    // `plain` (no engine, considered first) best-fits onto the warm node's lowest free GPUs.
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('warm').gpus(4).warm(LLAMA, [0, 1]), aNode('other').gpus(8))
        .pending(
          aJob('plain').gpus(3).submitted(1),
          aJob('engine').gpus(2).engine(LLAMA).submitted(2),
        )
        .snapshot(),
    );
    expect(placed(decision)).toEqual({ plain: 'warm:0,1,2', engine: 'other:0,1' });
  });

  it('honours the GPU model a job asks for, and prefers a warm engine on any model otherwise', () => {
    const cluster = () =>
      aCluster().node(
        aNode('h100').gpus(8, 'H100-80GB'),
        aNode('a100').gpus(8, 'A100-80GB').warm(LLAMA, [2, 3]),
      );
    const decide = (job: JobBuilder) =>
      placed(gantryPolicy.decide(cluster().pending(job).snapshot()));
    expect(decide(aJob('j').gpus(2, 'H100-80GB').engine(LLAMA))).toEqual({ j: 'h100:0,1' });
    expect(decide(aJob('j').gpus(2).engine(LLAMA))).toEqual({ j: 'a100:2,3' });
    expect(decide(aJob('j').gpus(2))).toEqual({ j: 'h100:0,1' });
  });

  it('does not prefer a warm engine on a GPU model the queue may not take more of', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .queue('inference', { max: { 'A100-80GB': 0 } })
        .node(
          aNode('h100').gpus(8, 'H100-80GB'),
          aNode('a100').gpus(8, 'A100-80GB').warm(LLAMA, [2, 3]),
        )
        .pending(aJob('j').gpus(2).engine(LLAMA).queue('inference'))
        .snapshot(),
    );
    expect(placed(decision)).toEqual({ j: 'h100:0,1' });
  });

  // n1: 6 of 8 GPUs busy until 2h, an idle engine on its 2 free GPUs; n2 (listed first, so best
  // fit's pick): 6 busy until 4h. `big` (8 GPUs, first in order) reserves n1 from 2h, with
  // nothing to spare.
  it.each([
    ['that ends before the reservation uses the warm engine', 3600, 'n1:6,7'],
    ['that would outlast the reservation does not, and starts elsewhere', 5 * 3600, 'n2:6,7'],
    ['without an estimate does not, and starts elsewhere', null, 'n2:6,7'],
  ])('an engine job %s', (_name, runtime, expected) => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('n2').gpus(8), aNode('n1').gpus(8).warm(LLAMA, [6, 7]))
        .running(
          aRunningJob('r1')
            .on('n1', [0, 1, 2, 3, 4, 5])
            .endsAt(2 * HOUR),
          aRunningJob('r2')
            .on('n2', [0, 1, 2, 3, 4, 5])
            .endsAt(4 * HOUR),
        )
        .pending(
          aJob('big').gpus(8).priority(900),
          aJob('j').gpus(2).engine(LLAMA).runtime(runtime),
        )
        .snapshot(0),
    );
    expect(decision.reservations).toEqual([{ jobId: 'big', at: 2 * HOUR, nodeIds: ['n1'] }]);
    expect(placed(decision)).toEqual({ j: expected });
  });

  it('does not change the order jobs are considered in', () => {
    // The higher-priority job without an engine best-fits onto the warm engine's GPUs first.
    const decision = gantryPolicy.decide(
      aCluster()
        .node(aNode('warm').gpus(2).warm(LLAMA, [0, 1]), aNode('big').gpus(8))
        .pending(
          aJob('engine').gpus(2).engine(LLAMA).priority(100),
          aJob('urgent').gpus(2).priority(900),
        )
        .snapshot(),
    );
    expect(decision.placements.map((p) => p.jobId)).toEqual(['urgent', 'engine']);
    expect(placed(decision)).toEqual({ urgent: 'warm:0,1', engine: 'big:0,1' });
  });

  it('leaves gangs to the usual placement', () => {
    const decision = gantryPolicy.decide(
      aCluster()
        .node(
          aNode('a1').gpus(2).fabric('a').warm(LLAMA, [0, 1]),
          aNode('b1').gpus(2).fabric('b'),
          aNode('b2').gpus(2).fabric('b'),
        )
        .pending(aJob('gang').gang(2, 2).engine(LLAMA))
        .snapshot(),
    );
    expect(placed(decision)).toEqual({ gang: 'b1:0,1 b2:0,1' });
  });
});
