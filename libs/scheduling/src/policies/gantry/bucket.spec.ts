/**
 * A bucket lists its nodes in the order they came in, as the Set it replaced did: checked
 * against a Set through random additions and removals (fast-check), the walk from `first`.
 */
import fc from 'fast-check';
import { aCluster, aNode } from '../../testing/builders';
import { Bucket } from './bucket';
import { NodeIndex } from './node-index';

describe('Bucket', () => {
  it('walks its nodes in the order of a Set, as nodes come and go', () => {
    const nodes = Array.from({ length: 12 }, (_, i) => aNode(`n${i}`).gpus(2, i % 3 ? 'A' : 'B'));
    const index = new NodeIndex(
      aCluster()
        .node(...nodes)
        .snapshot(),
    );
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 11 }), { maxLength: 400 }), (steps) => {
        const [a, b] = [new Bucket('A'), new Bucket('B')];
        const [inA, inB] = [new Set<number>(), new Set<number>()];
        for (const n of steps) {
          const state = index.all[n]!;
          const [bucket, set] = state.models[0] === 'A' ? [a, inA] : [b, inB];
          if (set.delete(n)) bucket.delete(state);
          else {
            set.add(n);
            bucket.add(state);
          }
          for (const [x, s] of [
            [a, inA],
            [b, inB],
          ] as const) {
            const walked = x.nodes.slice(x.first).filter((node) => node !== undefined);
            expect(walked.map((node) => node.position)).toEqual([...s]);
            expect(x.size).toBe(s.size);
            expect(x.nodes[x.first]).toBe(s.size > 0 ? index.all[[...s][0]!] : undefined);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('closes up its gaps, front ones included, keeping the order', () => {
    const index = new NodeIndex(
      aCluster()
        .node(...Array.from({ length: 12 }, (_, i) => aNode(`n${i}`).gpus(2, 'A')))
        .snapshot(),
    );
    const bucket = new Bucket('A');
    index.all.forEach((state) => bucket.add(state));
    for (let n = 0; n < 11; n++) bucket.delete(index.all[n]!); // gaps at the front
    for (let i = 0; i < 30; i++) {
      bucket.add(index.all[i % 2]!); // each comes in at the end, and leaves again
      bucket.delete(index.all[i % 2]!);
    }
    bucket.add(index.all[3]!);
    expect(bucket.nodes.length).toBeLessThan(12); // closed up on the way
    const walked = bucket.nodes.slice(bucket.first).filter((node) => node !== undefined);
    expect(walked.map((node) => node.node.id)).toEqual(['n11', 'n3']);
  });
});
