import { DEFAULT_POLICY_CONFIG } from '../../model';
import { buildCluster } from '../cluster/build-nodes';
import { parseClusterSpec } from '../cluster/cluster-spec';
import type { TraceJob } from '../trace/trace-job';
import { classFor, DEFAULT_CLASS_MIX, shapeFor, tenantFor } from './assignment';
import { apportion } from './queues';
import { buildWorkload } from './workload';

const cluster = buildCluster(parseClusterSpec('4x8xV100/2'), DEFAULT_POLICY_CONFIG.fabricLabel);
const job = (
  id: string,
  gpus: number,
  duration: number,
  tenant: string | null = null,
): TraceJob => ({
  id,
  submitAt: 0,
  duration,
  gpus,
  tenant,
});

describe('workload', () => {
  it.each([
    [1, { nodes: 1, gpusPerNode: 1 }],
    [8, { nodes: 1, gpusPerNode: 8 }],
    [12, { nodes: 2, gpusPerNode: 8 }],
    [64, { nodes: 8, gpusPerNode: 8 }],
  ])('shapes %i GPUs on 8-GPU nodes as %o', (gpus, shape) => {
    expect(shapeFor(gpus, 8)).toEqual({ ...shape, gpuModel: null });
  });

  it("uses the trace's tenant when it has one, else a seeded hash of the job id", () => {
    expect(tenantFor(job('x', 1, 1, '6214e9'), 7, 8)).toBe('vc-6214e9');
    const ids = Array.from({ length: 2000 }, (_, i) => `job-${i}`);
    const tenants = ids.map((id) => tenantFor(job(id, 1, 1), 7, 8));
    expect(new Set(tenants)).toEqual(
      new Set(Array.from({ length: 8 }, (_, i) => `tenant-0${i + 1}`)),
    );
    expect(ids.map((id) => tenantFor(job(id, 1, 1), 7, 8))).toEqual(tenants);
    const other = ids.map((id) => tenantFor(job(id, 1, 1), 8, 8));
    expect(other.filter((t, i) => t !== tenants[i]).length).toBeGreaterThan(1000);
  });

  it('assigns classes by the seeded mix (70/20/10 by default)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const cls = classFor(`job-${i}`, 3, DEFAULT_CLASS_MIX);
      counts.set(cls, (counts.get(cls) ?? 0) + 1);
    }
    expect(counts.get('batch')! / 10_000).toBeCloseTo(0.7, 1);
    expect(counts.get('rl-rollout')! / 10_000).toBeCloseTo(0.2, 1);
    expect(counts.get('background')! / 10_000).toBeCloseTo(0.1, 1);
  });

  it.each([
    [10, [1, 1, 1], [4, 3, 3]],
    [32, [3, 1, 0], [24, 8, 0]],
    [5, [0, 0], [0, 0]],
  ])('apportions %i by %o as %o, summing exactly', (total, weights, parts) => {
    expect(apportion(total, weights)).toEqual(parts);
  });

  it('gives each tenant a leaf queue with a guarantee by GPU-time share; drops jobs that never fit', () => {
    const workload = buildWorkload(
      [job('a', 1, 300, 'x'), job('b', 2, 50, 'y'), job('c', 24, 10, 'x')],
      cluster,
      { seed: 1 },
    );
    expect(workload.dropped.map((j) => j.id)).toEqual(['c']); // 3 nodes > 2 per fabric domain
    expect(workload.jobs.map((j) => [j.id, j.tenant, j.queue, j.kind])).toEqual([
      ['a', 'vc-x', 'vc-x', 'gpus:1'],
      ['b', 'vc-y', 'vc-y', 'gpus:2-4'],
    ]);
    expect(workload.queues).toEqual([
      { name: 'org', parent: null, guaranteed: { 'V100-32GB': 32 }, max: {}, weight: 1 },
      { name: 'vc-x', parent: 'org', guaranteed: { 'V100-32GB': 24 }, max: {}, weight: 1 },
      { name: 'vc-y', parent: 'org', guaranteed: { 'V100-32GB': 8 }, max: {}, weight: 1 },
    ]);
  });

  it('rejects a tenant count or class mix it cannot use', () => {
    expect(() => buildWorkload([], cluster, { seed: 1, tenants: 0 })).toThrow(/tenants: must be/);
    expect(() =>
      buildWorkload([], cluster, { seed: 1, classMix: [{ name: 'vip', share: 1 }] }),
    ).toThrow(/unknown priority class 'vip'/);
  });
});
