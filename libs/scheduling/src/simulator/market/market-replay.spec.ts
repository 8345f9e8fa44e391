import { DEFAULT_POLICY_CONFIG, DEFAULT_PRIORITY_CLASSES } from '../../model';
import { gantryPolicy } from '../../policies';
import { buildCluster } from '../cluster/build-nodes';
import { parseClusterSpec } from '../cluster/cluster-spec';
import { runEngine } from '../engine/engine';
import type { EngineInput } from '../engine/types';
import { simJob } from '../testing/sim-fixtures';
import { buildQueues } from '../workload/queues';
import { interruptibleClass, replayWithRenters } from './market-replay';
import { DEFAULT_RENTER_DEMAND, type RenterRequest, type RequestStream } from './renter-demand';

/** The renters' requests of a test, in order. */
function scripted(requests: Omit<RenterRequest, 'renter' | 'bidDraw'>[]): RequestStream {
  const list: RenterRequest[] = requests.map((r) => ({ ...r, renter: 'renter-01', bidDraw: 0 }));
  return {
    options: { bidSpread: 0.5, noticeSeconds: 120 },
    peek: () => list[0],
    take: () => list.shift(),
  };
}

/**
 * One node of 4 V100s. Internal a (1 GPU) runs 0-1000 s; renters buy 2 GPUs at 10 s (an hour)
 * and 1 GPU at 20 s (10 minutes), which is all that is left; internal b (2 GPUs) comes at
 * 100 s, so the policy reclaims the older lease (lease-000001: leases lose nothing, ties go by
 * id), whose GPUs come back after its notice, the class's grace (120 s, or 60 s cut short).
 */
function scenario(graceSeconds: number) {
  const config = { ...DEFAULT_POLICY_CONFIG };
  const cluster = buildCluster(parseClusterSpec('1x4xV100'), config.fabricLabel);
  const jobs = [simJob('a', 0, 1000, 1), simJob('b', 100, 500, 2)];
  const input: EngineInput = {
    jobs,
    nodes: cluster.nodes,
    queues: buildQueues(new Map([['x', 1]]), cluster.gpusByModel),
    classes: [...DEFAULT_PRIORITY_CLASSES, interruptibleClass(graceSeconds)],
    policy: gantryPolicy,
    config,
    checkpointIntervalSeconds: 0,
    cpuTimeMs: () => 0,
  };
  const without = runEngine(input);
  const replay = replayWithRenters(
    input,
    without,
    DEFAULT_RENTER_DEMAND,
    scripted([
      { id: 'lease-000001', at: 10, gpus: 2, durationSeconds: 3600 },
      { id: 'lease-000002', at: 20, gpus: 1, durationSeconds: 600 },
      { id: 'lease-000003', at: 30, gpus: 1, durationSeconds: 600 },
    ]),
  );
  return {
    without,
    replay,
    lease: (id: string) => replay.outcomes.find((o) => o.lease.id === id)!,
  };
}

describe('a replay with renters, by hand', () => {
  const { without, replay, lease } = scenario(120);
  const record = (id: string) => replay.result.records.find((r) => r.id === id)!;

  it('sells what is free at the floor (V100: $0.14 x (1 + 0.5 x 1/4 busy) = $0.1575, bid $0.16)', () => {
    expect(replay.market.requests).toBe(3);
    expect(replay.market.turnedAway).toBe(1); // lease-000003: nothing left at 30 s
    expect([...replay.market.leases.values()]).toEqual([
      expect.objectContaining({
        id: 'lease-000001',
        floorPerGpuHour: 157_500,
        bidPerGpuHour: 160_000,
      }),
      expect.objectContaining({
        id: 'lease-000002',
        floorPerGpuHour: 157_500,
        bidPerGpuHour: 160_000,
      }),
    ]);
  });

  it('reclaims with the full notice: b waits 120 s and gets the lease GPUs the moment they are back', () => {
    expect(without.records.find((r) => r.id === 'b')!.firstStartAt).toBe(100);
    expect(record('lease-000001').runs).toEqual([
      expect.objectContaining({ startAt: 10, endAt: 220, preempted: true, stopOrderedAt: 100 }),
    ]);
    expect(record('b').firstStartAt).toBe(220);
    const leaseGpus = record('lease-000001').runs[0]!.allocations[0]!.gpuIndices;
    expect([...record('b').runs[0]!.allocations[0]!.gpuIndices].sort()).toEqual(
      [...leaseGpus].sort(),
    );
    expect(lease('lease-000001')).toMatchObject({
      endReason: 'reclaimed',
      deliveredGpuSeconds: 420,
      givenNoticeSeconds: 120,
      fullNotice: true,
      creditedMicros: 0,
      // 3 whole minutes x 2 GPUs at $0.16/h = 16,000, then 30 s x 2 = 2,666.7 -> 2,667
      chargedMicros: 18_667,
    });
    expect(lease('lease-000002')).toMatchObject({
      endReason: 'expired',
      startedAt: 20,
      endedAt: 620,
      noticeAt: null,
      chargedMicros: 26_667,
    });
  });

  it('adds up the figures', () => {
    const f = replay.figures;
    expect(f).toMatchObject({
      requests: 3,
      leasesBought: 2,
      requestsTurnedAway: 1,
      leasesUnfinished: 0,
      reclaims: 1,
      reclaimsWithFullNotice: 1,
      reclaimsCredited: 0,
      reclaimsUnnoticedUncredited: 0,
      revenueMicros: 18_667 + 26_667,
      creditsMicros: 0,
      internalAvgQueueDelayWithout: 0,
      internalAvgQueueDelayWith: 60, // b: 120 s, a: 0
    });
    // Without renters: a holds 1 GPU 0-1000, b 2 GPUs 100-600, on 4 GPUs for 1000 s.
    expect(f.idleGpuHoursWithout).toBeCloseTo((4000 - 1000 - 1000) / 3600, 9);
    expect(f.soldGpuHours).toBeCloseTo((420 + 600) / 3600, 9);
    expect(f.queueDelayRatio).toBeNull(); // nothing to compare with: no delay without renters
    expect(f.targets.noticeOrCredit).toBe(true);
    expect(replay.internal.jobs).toBe(2);
  });

  it('credits exactly the shortfall when the notice is cut short (a 60 s grace for 120 s promised)', () => {
    const short = scenario(60);
    expect(short.lease('lease-000001')).toMatchObject({
      endedAt: 160,
      givenNoticeSeconds: 60,
      fullNotice: false,
      // (120 - 60) s x 2 GPUs x $0.16/h = 5,333.3 -> 5,333
      creditedMicros: 5_333,
      chargedMicros: 10_667 + 2_667,
    });
    expect(short.replay.figures).toMatchObject({
      reclaims: 1,
      reclaimsWithFullNotice: 0,
      reclaimsCredited: 1,
      reclaimsUnnoticedUncredited: 0,
      creditsMicros: 5_333,
    });
    expect(short.replay.result.records.find((r) => r.id === 'b')!.firstStartAt).toBe(160);
  });
});

describe('a replay with renters that buy nothing', () => {
  it('schedules the trace exactly as without them (the market queues and class change nothing)', () => {
    const config = { ...DEFAULT_POLICY_CONFIG };
    const cluster = buildCluster(parseClusterSpec('2x4xV100'), config.fabricLabel);
    const jobs = Array.from({ length: 60 }, (_, i) =>
      simJob(`j${i}`, i * 13, 40 + ((i * 97) % 400), 1 + (i % 4), {
        tenant: i % 3 === 0 ? 'x' : 'y',
        nodeSize: 4,
      }),
    );
    const input: EngineInput = {
      jobs,
      nodes: cluster.nodes,
      queues: buildQueues(
        new Map([
          ['x', 1],
          ['y', 2],
        ]),
        cluster.gpusByModel,
      ),
      classes: DEFAULT_PRIORITY_CLASSES,
      policy: gantryPolicy,
      config,
      checkpointIntervalSeconds: 60,
      cpuTimeMs: () => 0,
    };
    const without = runEngine(input);
    const replay = replayWithRenters(input, without, DEFAULT_RENTER_DEMAND, scripted([]));
    expect(replay.result.records).toEqual(without.records);
    expect(replay.figures).toMatchObject({ leasesBought: 0, soldGpuHours: 0, queueDelayRatio: 1 });
  });
});
