import { placeInLease } from './lease-placer';

const node = (nodeId: string, gpuIndices: number[]) => ({ nodeId, nodeName: nodeId, gpuIndices });
const job = (id: string, gpus: number, nodes = 1) => ({ id, gpus, nodes });

describe('placeInLease', () => {
  it('puts jobs first fit on the lease’s free GPUs, in order', () => {
    const { placed, waiting } = placeInLease(
      [node('n1', [2, 3, 4, 5])],
      [{ nodeId: 'n1', gpuIndices: [3] }],
      [job('a', 2), job('b', 2), job('c', 1)],
    );
    expect(placed.map((p) => [p.jobId, p.allocations.map((a) => a.gpuIndices)])).toEqual([
      ['a', [[2, 4]]],
      ['c', [[5]]],
    ]);
    expect(waiting).toEqual(['b']);
  });

  it('never gives a GPU outside the lease, or one its jobs hold', () => {
    const { placed } = placeInLease(
      [node('n1', [0, 1])],
      [{ nodeId: 'n1', gpuIndices: [0, 1] }],
      [job('a', 1)],
    );
    expect(placed).toEqual([]);
  });

  it('spreads a multi-node job over distinct lease nodes with room on each', () => {
    const { placed, waiting } = placeInLease(
      [node('n1', [0, 1]), node('n2', [0, 1]), node('n3', [0])],
      [],
      [job('gang', 2, 2), job('wide', 1, 3)],
    );
    expect(placed[0]!.allocations.map((a) => [a.nodeId, a.gpuIndices])).toEqual([
      ['n1', [0, 1]],
      ['n2', [0, 1]],
    ]);
    expect(placed).toHaveLength(1); // three nodes with a free GPU are no longer there
    expect(waiting).toEqual(['wide']);
  });
});
