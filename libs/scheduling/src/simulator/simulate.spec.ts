import { createFifoPolicy } from '../policies/fifo';
import { gantryPolicy } from '../policies/gantry';
import { DEFAULT_RENTER_DEMAND } from './market/renter-demand';
import { parseClusterSpec } from './cluster/cluster-spec';
import type { Figures } from './metrics/metrics';
import { mulberry32, randomInt } from './prng';
import { renderHtmlReport } from './report/html-report';
import { toJsonReport } from './report/json-report';
import { renderTextReport } from './report/text-report';
import { simulate, type SimulationOptions } from './simulate';
import { scripted, on } from './testing/sim-fixtures';
import type { TraceJob } from './trace/trace-job';

function syntheticTrace(seed: number, count: number): TraceJob[] {
  const random = mulberry32(seed);
  let at = 0;
  return Array.from({ length: count }, (_, i) => {
    at += randomInt(random, 0, 120);
    return {
      id: `job-${i}`,
      submitAt: at,
      duration: randomInt(random, 10, 3000),
      gpus: [1, 1, 2, 4, 8, 16][randomInt(random, 0, 5)]!,
      tenant: null,
    };
  });
}

const base = (overrides: Partial<SimulationOptions> = {}): SimulationOptions => ({
  traceName: 'synthetic',
  trace: syntheticTrace(1, 300),
  cluster: parseClusterSpec('4x8xH100'),
  load: 1,
  seed: 7,
  limit: null,
  policies: [createFifoPolicy()],
  tenants: 4,
  cpuTimeMs: () => performance.now(),
  ...overrides,
});

/** Figures without the measured CPU times (the only part that may differ between runs). */
const deterministic = (figures: Figures) => ({ ...figures, cycleCpuMsAvg: 0, cycleCpuMsP99: 0 });

describe('simulate', () => {
  it('gives the same figures for the same seed', () => {
    const [a, b] = [simulate(base()), simulate(base())];
    expect(deterministic(a.runs[0]!.figures)).toEqual(deterministic(b.runs[0]!.figures));
    expect(a.runs[0]!.tenants).toEqual(b.runs[0]!.tenants);
    expect(a.runs[0]!.timeline).toEqual(b.runs[0]!.timeline);
  });

  it('assigns tenants by the seed', () => {
    const [a, b] = [simulate(base({ seed: 1 })), simulate(base({ seed: 2 }))];
    expect(a.runs[0]!.tenants).not.toEqual(b.runs[0]!.tenants);
    expect(a.input).toMatchObject({
      jobs: 300,
      tenants: 4,
      dropped: 0,
      gpus: 32,
      cluster: '4x8xH100-80GB/16',
    });
  });

  it('queues more under a higher load', () => {
    const light = simulate(base({ load: 0.5 })).runs[0]!.figures;
    const heavy = simulate(base({ load: 4 })).runs[0]!.figures;
    expect(heavy.avgQueueDelay).toBeGreaterThan(light.avgQueueDelay);
    expect(heavy.makespan).toBeLessThan(light.makespan);
  });

  it('reports each policy beside FIFO with ratios, as text, JSON and HTML', () => {
    // "eager": FIFO order without stopping at a blocked head (first fit on 4 nodes).
    const eager = scripted((snapshot) => {
      const free = new Map(snapshot.nodes.map((n) => [n.id, n.gpus.map((g) => g.index)]));
      for (const job of snapshot.running)
        for (const a of job.allocations)
          free.set(
            a.nodeId,
            free.get(a.nodeId)!.filter((g) => !a.gpuIndices.includes(g)),
          );
      const placements = [];
      for (const job of snapshot.pending) {
        if (job.shape.nodes !== 1) continue;
        const node = [...free.entries()].find(([, gpus]) => gpus.length >= job.shape.gpusPerNode);
        if (!node) continue;
        const taken = node[1].splice(0, job.shape.gpusPerNode);
        placements.push(on(job.id, node[0], taken));
      }
      return { placements };
    }, 'eager');
    const report = simulate(
      base({
        policies: [createFifoPolicy(), eager],
        trace: syntheticTrace(3, 200).map((j) => ({ ...j, gpus: Math.min(j.gpus, 8) })),
      }),
    );
    const text = renderTextReport(report);
    expect(text).toMatch(/^figure\s+fifo\s+eager\s+eager\/fifo$/m);
    const [fifo, other] = report.runs.map((r) => r.figures) as [Figures, Figures];
    const row = text.split('\n').find((line) => line.startsWith('avg JCT (s)'))!;
    expect(
      row
        .trim()
        .split(/\s{2,}/)
        .at(-1),
    ).toBe((other.avgJct / fifo.avgJct).toFixed(3));
    expect(text).toContain('avg slowdown per tenant');

    const json = toJsonReport(report);
    expect(json.baseline).toBe('fifo');
    expect(json.policies[0]!.ratios).toBeNull();
    expect(json.policies[1]!.ratios!.avgJct).toBeCloseTo(other.avgJct / fifo.avgJct, 12);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);

    const html = renderHtmlReport(report);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<polyline');
    expect(html).not.toMatch(/(src|href)=/);
  });

  it('rejects what it cannot run', () => {
    expect(() => simulate(base({ policies: [] }))).toThrow(/name at least one/);
    expect(() => simulate(base({ policies: [createFifoPolicy(), createFifoPolicy()] }))).toThrow(
      /fifo is named twice/,
    );
    expect(() => simulate(base({ checkpointIntervalSeconds: -1 }))).toThrow(/checkpoint interval/);
  });

  describe('with renters', () => {
    const report = simulate(
      base({
        policies: [createFifoPolicy(), gantryPolicy],
        renters: { ...DEFAULT_RENTER_DEMAND, ratePerHour: 720, seed: 3 },
      }),
    );

    it('replays each policy again with renters, the same for the same seeds', () => {
      const again = simulate(
        base({
          policies: [createFifoPolicy(), gantryPolicy],
          renters: { ...DEFAULT_RENTER_DEMAND, ratePerHour: 720, seed: 3 },
        }),
      );
      for (const [i, run] of report.runs.entries()) {
        expect(run.market).not.toBeNull();
        expect(run.market!.figures).toEqual(again.runs[i]!.market!.figures);
        expect(deterministic(run.market!.internal)).toEqual(
          deterministic(again.runs[i]!.market!.internal),
        );
      }
      expect(report.input.renters).toMatchObject({ ratePerHour: 720, seed: 3 });
    });

    it('sells idle hours without selling more than was idle, and keeps every notice', () => {
      for (const run of report.runs) {
        const f = run.market!.figures;
        expect(f.leasesBought).toBeGreaterThan(0);
        expect(f.soldGpuHours).toBeGreaterThan(0);
        expect(f.soldGpuHours).toBeLessThanOrEqual(f.idleGpuHoursWithout + 1e-9);
        expect(f.leasesUnfinished).toBe(0);
        expect(f.reclaimsUnnoticedUncredited).toBe(0);
        expect(f.reclaimsWithFullNotice).toBe(f.reclaims);
        expect(run.market!.internal.jobs).toBe(300);
      }
      // FIFO never preempts: its leases run out; gantry's internal work takes them back.
      expect(report.runs[0]!.market!.figures.reclaims).toBe(0);
      expect(report.runs[1]!.market!.figures.reclaims).toBeGreaterThan(0);
    });

    it('reports the market in text and JSON', () => {
      expect(renderTextReport(report)).toMatch(
        /GPU-hours sold \(in that window\)\s+[\d,]+\s+[\d,]+\n/,
      );
      expect(toJsonReport(report).policies[1]!.market!.figures.reclaims).toBe(
        report.runs[1]!.market!.figures.reclaims,
      );
    });

    it("draws each policy's GPUs with renters, internal / rented / idle, in the HTML page", () => {
      for (const run of report.runs) {
        const { timeline, rentedGpus } = run.market!;
        expect(rentedGpus).toHaveLength(timeline.length);
        // Leases hold part of what is busy; somewhere they hold something.
        for (const [i, point] of timeline.entries()) {
          expect(rentedGpus[i]!).toBeGreaterThanOrEqual(0);
          expect(rentedGpus[i]!).toBeLessThanOrEqual(point.busyGpus + 1e-9);
        }
        expect(Math.max(...rentedGpus)).toBeGreaterThan(0);
      }
      const html = renderHtmlReport(report);
      expect(html.match(/<svg /g)).toHaveLength(2 + report.runs.length);
      expect(html).toContain('GPUs with renters, gantry: internal / rented / idle');
      expect(html).toContain('GPU-hours sold (in that window)');
    });
  });
});
