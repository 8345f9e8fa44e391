/** Invariants of the market's figures, offers and prices on random clusters (fast-check). */
import fc from 'fast-check';
import { bidPriority, LEASE_QUEUE, type LeaseProduct } from '@gantry/domain';
import { DEFAULT_POLICY_CONFIG, limitFor, type ClusterSnapshot } from '../model';
import { aCluster, aJob, aNode, aRunningJob } from '../testing/builders';
import { offers } from './offers';
import { priceOf, type PriceDerivation } from './pricing';

const MODELS = ['H100-80GB', 'A100-80GB'];
const INTERNAL = ['team-a', 'team-b', 'loose'];
const QUEUES = [...INTERNAL, ...Object.values(LEASE_QUEUE)];
const NOW = 1_000_000;

const scenario = fc
  .record({
    nodes: fc.array(
      fc.record({
        gpus: fc.integer({ min: 1, max: 8 }),
        model: fc.constantFrom(...MODELS),
        domain: fc.constantFrom('a', 'b'),
        lost: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    running: fc.array(
      fc.record({
        node: fc.nat(),
        gpus: fc.integer({ min: 1, max: 4 }),
        queue: fc.constantFrom(...QUEUES),
        stopping: fc.boolean(),
        bid: fc.integer({ min: 0, max: 1000 }),
      }),
      { maxLength: 10 },
    ),
    pending: fc.array(
      fc.record({
        nodes: fc.integer({ min: 1, max: 2 }),
        gpus: fc.integer({ min: 0, max: 8 }),
        model: fc.option(fc.constantFrom(...MODELS)),
        queue: fc.constantFrom(...QUEUES),
      }),
      { maxLength: 10 },
    ),
    guarantees: fc.record({
      a: fc.integer({ min: 0, max: 12 }),
      b: fc.integer({ min: 0, max: 4 }),
    }),
  })
  .map(({ nodes, running, pending, guarantees }): ClusterSnapshot => {
    const cluster = aCluster()
      .queue('org')
      .queue('team-a', { parent: 'org', guaranteed: { 'H100-80GB': guarantees.a } })
      .queue('team-b', { parent: 'org', guaranteed: { '*': guarantees.b } })
      .queue('market')
      .queue('market-dedicated', { parent: 'market' })
      .queue('market-interruptible', { parent: 'market' });
    nodes.forEach((n, i) => {
      const node = aNode(`n${i}`).gpus(n.gpus, n.model).fabric(n.domain);
      cluster.node(n.lost ? node.lost() : node);
    });
    const free = nodes.map((n) => Array.from({ length: n.gpus }, (_, g) => g));
    running.forEach((r, i) => {
      const node = r.node % nodes.length;
      const take = free[node]!.splice(0, r.gpus);
      if (take.length === 0) return;
      const job = aRunningJob(`r${i}`)
        .queue(r.queue)
        .on(`n${node}`, take)
        .model(nodes[node]!.model)
        .priority(r.bid);
      cluster.running(r.stopping ? job.stopping() : job);
    });
    pending.forEach((p, i) =>
      cluster.pending(aJob(`p${i}`).queue(p.queue).gang(p.nodes, p.gpus, p.model)),
    );
    return cluster.snapshot(NOW);
  });

const everyModel = (_model: string, _product: LeaseProduct) => ({ price: 1 }) as PriceDerivation;

/** Figures counted plainly from the snapshot, to check the offers against. */
function plain(snapshot: ClusterSnapshot, model: string) {
  const held = new Set(
    snapshot.running.flatMap((j) =>
      j.allocations.flatMap((a) => a.gpuIndices.map((g) => `${a.nodeId}/${g}`)),
    ),
  );
  const live = snapshot.nodes.filter((n) => n.schedulable);
  const freeOn = (nodeId: string) =>
    live
      .find((n) => n.id === nodeId)!
      .gpus.filter((g) => g.model === model && !held.has(`${nodeId}/${g.index}`)).length;
  const label = DEFAULT_POLICY_CONFIG.fabricLabel;
  const capacity = live.reduce(
    (n, node) => n + node.gpus.filter((g) => g.model === model).length,
    0,
  );
  const unmet = snapshot.queues
    .filter((q) => q.name.startsWith('team-'))
    .reduce((sum, q) => {
      const holds = snapshot.running
        .filter((j) => j.queue === q.name && !j.stopping && j.gpuModel === model)
        .flatMap((j) => j.allocations.filter((a) => live.some((n) => n.id === a.nodeId)))
        .reduce((n, a) => n + a.gpuIndices.length, 0);
      return sum + Math.max(0, limitFor(q.guaranteed, model, 0) - holds);
    }, 0);
  const guaranteed = snapshot.queues
    .filter((q) => q.name.startsWith('team-'))
    .reduce((n, q) => n + limitFor(q.guaranteed, model, 0), 0);
  const sizes = (domain: string) =>
    live
      .filter((n) => (n.labels[label] ?? '') === domain)
      .map((n) => n.gpus.filter((g) => g.model === model).length);
  const fits = (nodes: number, gpus: number) =>
    ['a', 'b'].some((d) => sizes(d).filter((n) => n > 0 && n >= gpus).length >= nodes);
  const pendingNamed = snapshot.pending
    .filter((j) => j.shape.gpuModel === model && INTERNAL.includes(j.queue))
    .filter((j) => fits(j.shape.nodes, j.shape.gpusPerNode))
    .reduce((n, j) => n + j.shape.nodes * j.shape.gpusPerNode, 0);
  return {
    capacity,
    free: live.reduce((n, node) => n + freeOn(node.id), 0),
    freeIn: (domain: string) =>
      live
        .filter((n) => (n.labels[label] ?? '') === domain)
        .reduce((n, node) => n + freeOn(node.id), 0),
    mostFreeIn: (domain: string) =>
      Math.max(
        0,
        ...live.filter((n) => (n.labels[label] ?? '') === domain).map((node) => freeOn(node.id)),
      ),
    unmet,
    guaranteed,
    pendingNamed,
  };
}

describe('market offers on random clusters', () => {
  it('never offer more than is free, per model and per fabric domain, nor more on a node than it has free', () => {
    fc.assert(
      fc.property(scenario, (snapshot) => {
        for (const o of offers(snapshot, everyModel, NOW, { horizonSeconds: 3600 })) {
          if (o.product === 'reserved' || o.outbid) continue;
          const p = plain(snapshot, o.gpuModel);
          expect(o.gpus).toBeGreaterThan(0);
          expect(o.gpus).toBeLessThanOrEqual(p.freeIn(o.fabricDomain));
          expect(o.maxGpusPerNode).toBeLessThanOrEqual(p.mostFreeIn(o.fabricDomain));
        }
        for (const model of MODELS)
          for (const product of ['on-demand', 'interruptible'] as const) {
            const sold = offers(snapshot, everyModel, NOW, { horizonSeconds: 3600 })
              .filter((o) => o.gpuModel === model && o.product === product && !o.outbid)
              .reduce((n, o) => n + o.gpus, 0);
            expect(sold).toBeLessThanOrEqual(plain(snapshot, model).free);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('never sell on demand what an internal guarantee has not taken yet, nor what internal jobs wait for', () => {
    fc.assert(
      fc.property(scenario, (snapshot) => {
        const list = offers(snapshot, everyModel, NOW, { horizonSeconds: 3600 });
        for (const model of MODELS) {
          const p = plain(snapshot, model);
          const total = (product: LeaseProduct) =>
            list
              .filter((o) => o.gpuModel === model && o.product === product && !o.outbid)
              .reduce((n, o) => n + o.gpus, 0);
          expect(total('on-demand')).toBeLessThanOrEqual(Math.max(0, p.free - p.unmet));
          expect(total('on-demand')).toBeLessThanOrEqual(Math.max(0, p.free - p.pendingNamed));
          expect(total('interruptible')).toBeLessThanOrEqual(Math.max(0, p.free - p.pendingNamed));
          expect(total('on-demand')).toBeLessThanOrEqual(total('interruptible'));
          expect(total('reserved')).toBeLessThanOrEqual(Math.max(0, p.capacity - p.guaranteed));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('offer to outbid only GPUs that interruptible leases hold, outside their notice, above every bid displaced', () => {
    fc.assert(
      fc.property(scenario, (snapshot) => {
        const label = DEFAULT_POLICY_CONFIG.fabricLabel;
        const live = new Map(snapshot.nodes.filter((n) => n.schedulable).map((n) => [n.id, n]));
        for (const o of offers(snapshot, everyModel, NOW, { horizonSeconds: 3600 })) {
          if (!o.outbid) continue;
          const leases = snapshot.running.filter(
            (j) =>
              j.queue === LEASE_QUEUE.interruptible &&
              !j.stopping &&
              j.gpuModel === o.gpuModel &&
              j.priority < 1000 &&
              j.allocations.some((a) => live.get(a.nodeId)?.labels[label] === o.fabricDomain),
          );
          const held = leases.reduce(
            (n, j) => n + j.allocations.reduce((m, a) => m + a.gpuIndices.length, 0),
            0,
          );
          expect(o.product).toBe('interruptible');
          expect(o.gpus).toBeGreaterThan(0);
          expect(o.gpus).toBeLessThanOrEqual(held);
          expect(bidPriority(o.pricePerGpuHour)).toBeGreaterThan(
            Math.max(...leases.map((j) => j.priority)),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('market prices', () => {
  const bounds = fc
    .tuple(
      fc.integer({ min: 1, max: 100_000_000 }),
      fc.integer({ min: 1, max: 100_000_000 }),
      fc.integer({ min: 1, max: 100_000_000 }),
    )
    .map(([a, b, c]) => {
      const [min, base, max] = [a, b, c].sort((x, y) => x - y) as [number, number, number];
      return { min, base, max };
    });
  const demand = fc.double({ min: 0, max: 20, noNaN: true });
  const weight = fc.double({ min: 0, max: 10, noNaN: true });

  it('stay within their bounds, in whole micro-dollars', () => {
    fc.assert(
      fc.property(bounds, demand, demand, weight, weight, (b, pressure, utilization, a, w) => {
        const { price } = priceOf(b, { pressure, utilization }, { pressure: a, utilization: w });
        expect(Number.isSafeInteger(price)).toBe(true);
        expect(price).toBeGreaterThanOrEqual(b.min);
        expect(price).toBeLessThanOrEqual(b.max);
      }),
    );
  });

  it('never fall as pressure or utilization rise', () => {
    fc.assert(
      fc.property(bounds, demand, demand, demand, weight, weight, (b, p1, p2, u, a, w) => {
        const weights = { pressure: a, utilization: w };
        const [low, high] = p1 <= p2 ? [p1, p2] : [p2, p1];
        expect(
          priceOf(b, { pressure: high, utilization: u }, weights).price,
        ).toBeGreaterThanOrEqual(priceOf(b, { pressure: low, utilization: u }, weights).price);
        expect(
          priceOf(b, { pressure: u, utilization: high }, weights).price,
        ).toBeGreaterThanOrEqual(priceOf(b, { pressure: u, utilization: low }, weights).price);
      }),
    );
  });

  it('rise with pressure until the maximum when the pressure weight is positive', () => {
    fc.assert(
      fc.property(bounds, fc.double({ min: 0.1, max: 5, noNaN: true }), (b, a) => {
        const weights = { pressure: a, utilization: 0 };
        const idle = priceOf(b, { pressure: 0, utilization: 0 }, weights).price;
        // base x (1 + a x pressure) passes max once pressure > (max / base) / a.
        const pressure = b.max / b.base / a + 1;
        const swamped = priceOf(b, { pressure, utilization: 0 }, weights).price;
        expect(idle).toBe(b.base);
        expect(swamped).toBe(b.max);
      }),
    );
  });
});
