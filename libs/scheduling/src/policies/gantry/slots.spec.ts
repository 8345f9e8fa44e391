/**
 * The slot finder keeps each domain's answer and each node's earliest time until one of its
 * nodes changes, and reads releases from the flat holdings; this checks it against a plain scan
 * of every domain over the releases the test tracks itself (the search before the memo), while
 * GPUs are taken and nodes held in between, on random clusters (fast-check).
 */
import fc from 'fast-check';
import { aCluster, aNode, aRunningJob } from '../../testing/builders';
import { NodeIndex } from './node-index';
import type { NodeState } from './node-state';
import { ReservationBook, type ReservedSlot } from './reservations';
import { SlotFinder } from './slots';

const NOW = 1_000_000;
const MODELS = ['H100', 'A100'];

/** Expected releases per node id and model, as the test tracks them: [at, gpus]. */
type Releases = Map<string, Array<[number, number]>>;

/** The plain search: every domain, every unheld node, every time, from the releases tracked. */
function reference(
  index: NodeIndex,
  book: ReservationBook,
  releases: Releases,
  model: string,
  nodes: number,
  gpus: number,
): ReservedSlot | undefined {
  const earliest = (state: NodeState): number => {
    let free = state.freeCount(model);
    if (free >= gpus) return NOW;
    const list = [...(releases.get(`${state.node.id}|${model}`) ?? [])].sort((a, b) => a[0] - b[0]);
    for (const [at, released] of list) {
      free += released;
      if (free >= gpus) return Math.max(NOW, at);
    }
    return Number.POSITIVE_INFINITY;
  };
  let best: ReservedSlot | undefined;
  for (const members of index.domains.values()) {
    const times = members
      .filter((s) => !book.isHeld(s) && s.totalOf(model) >= gpus)
      .map((s) => [earliest(s), s] as const)
      .sort((a, b) => a[0] - b[0] || a[1].position - b[1].position);
    if (times.length < nodes || !Number.isFinite(times[nodes - 1]![0])) continue;
    const at = times[nodes - 1]![0];
    if (!best || at < best.at) best = { at, nodes: times.slice(0, nodes).map(([, s]) => s) };
    if (nodes === 1 && best.at === NOW) break;
  }
  return best;
}

const release = (releases: Releases, key: string, at: number, gpus: number): void => {
  releases.set(key, [...(releases.get(key) ?? []), [at, gpus]]);
};

const cluster = fc.record({
  nodes: fc.array(
    fc.record({
      gpus: fc.integer({ min: 1, max: 8 }),
      model: fc.constantFrom(MODELS[0]!, MODELS[0]!, MODELS[1]!),
      domain: fc.constantFrom('a', 'b', 'c'),
      busy: fc.array(fc.option(fc.integer({ min: 1, max: 20 })), { maxLength: 8 }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  steps: fc.array(
    fc.record({
      kind: fc.constantFrom('query', 'query', 'take', 'hold'),
      node: fc.nat(),
      nodes: fc.integer({ min: 1, max: 3 }),
      // few sizes and mostly one model, so a later query meets what an earlier one remembered
      gpus: fc.constantFrom(1, 2, 4, 8),
      model: fc.constantFrom(MODELS[0]!, MODELS[0]!, MODELS[1]!),
      at: fc.integer({ min: 1, max: 20 }),
    }),
    { maxLength: 40 },
  ),
});

describe('SlotFinder', () => {
  it('answers as a plain scan of every domain would, as GPUs are taken and nodes held', () => {
    fc.assert(
      fc.property(cluster, ({ nodes, steps }) => {
        const builder = aCluster();
        const releases: Releases = new Map();
        nodes.forEach((n, i) => {
          builder.node(aNode(`n${i}`).gpus(n.gpus, n.model).fabric(n.domain));
          n.busy.slice(0, n.gpus).forEach((end, g) => {
            const at = end === null ? Number.POSITIVE_INFINITY : NOW + end * 60_000;
            release(releases, `n${i}|${n.model}`, at, 1);
            builder.running(
              aRunningJob(`r${i}-${g}`)
                .on(`n${i}`, [g])
                .model(n.model)
                .endsAt(end === null ? null : at),
            );
          });
        });
        const index = new NodeIndex(builder.snapshot(NOW));
        const book = new ReservationBook();
        const finder = new SlotFinder(index, book, NOW);
        const states = index.all;
        for (const step of steps) {
          const state = states[step.node % states.length]!;
          if (step.kind === 'take') {
            const gpus = Math.min(step.gpus, state.freeCount(step.model));
            if (gpus === 0) continue;
            book.took(state, step.model, gpus, NOW + step.at * 60_000);
            index.take(state, step.model, gpus, NOW + step.at * 60_000);
            release(releases, `${state.node.id}|${step.model}`, NOW + step.at * 60_000, gpus);
          } else if (step.kind === 'hold') {
            const at = NOW + step.at * 60_000;
            book.hold('j', step.model, step.gpus, { at, nodes: [state] });
          } else {
            const got = finder.earliestSlot(step.model, step.nodes, step.gpus);
            const want = reference(index, book, releases, step.model, step.nodes, step.gpus);
            expect(got?.at).toBe(want?.at);
            expect(got?.nodes.map((s) => s.node.id)).toEqual(want?.nodes.map((s) => s.node.id));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
