/**
 * The big snapshot `bench:cycle` decides on, drawn from a seeded PRNG: 10,000 nodes of 8 H100s
 * (80,000 GPUs) in fabric domains of 16 nodes, about 30% of the GPUs busy with running jobs,
 * 100,000 pending jobs across 50 leaf queues (5 organizations x 10 teams, guarantees summing to
 * the cluster), a Philly-like mix of sizes (mostly 1 GPU, some 2-8, a few 2- and 4-node gangs)
 * and the default class mix. `advance` plays the world forward after a decision: placed jobs
 * run, victims stop, some running jobs end, and new jobs arrive for those placed, so every
 * cycle sees about 100,000 pending jobs and some free GPUs. Jobs have the fields the control
 * plane's snapshot builder gives them (nominated nodes passed back from the last decision, the
 * preemption count), so the policy meets objects of the shapes it meets live.
 */
import {
  apportion,
  DEFAULT_POLICY_CONFIG,
  DEFAULT_PRIORITY_CLASSES,
  randomInt,
  weightedChoice,
  type ClusterSnapshot,
  type Decision,
  type JobShape,
  type PendingJob,
  type QueueSpec,
  type Random,
  type RunningJob,
  type SnapshotNode,
} from '@gantry/scheduling';

export interface WorldSize {
  readonly nodes: number;
  readonly pending: number;
  readonly busyFraction: number;
}

const MODEL = 'H100-80GB';
const SHAPES: readonly (readonly [JobShape, number])[] = [
  [{ nodes: 1, gpusPerNode: 1, gpuModel: null }, 75],
  [{ nodes: 1, gpusPerNode: 2, gpuModel: null }, 8],
  [{ nodes: 1, gpusPerNode: 4, gpuModel: null }, 8],
  [{ nodes: 1, gpusPerNode: 8, gpuModel: null }, 7],
  [{ nodes: 2, gpusPerNode: 8, gpuModel: null }, 1.5],
  [{ nodes: 4, gpusPerNode: 8, gpuModel: null }, 0.5],
];
const CLASSES: readonly (readonly [string, number])[] = [
  ['batch', 70],
  ['rl-rollout', 20],
  ['background', 10],
];

function queueTree(random: Random, gpus: number): QueueSpec[] {
  const leaves = Array.from({ length: 50 }, (_, i) => `org${Math.floor(i / 10)}/team${i % 10}`);
  const guarantees = apportion(
    gpus,
    leaves.map(() => randomInt(random, 1, 5)),
  );
  const orgs = Array.from({ length: 5 }, (_, o) => ({
    name: `org${o}`,
    parent: null,
    guaranteed: { [MODEL]: guarantees.slice(o * 10, o * 10 + 10).reduce((a, b) => a + b, 0) },
    max: {},
    weight: 1,
  }));
  return [
    ...orgs,
    ...leaves.map((name, i) => ({
      name,
      parent: name.split('/')[0]!,
      guaranteed: { [MODEL]: guarantees[i]! },
      max: {},
      weight: 1,
    })),
  ];
}

export class CycleWorld {
  snapshot: ClusterSnapshot;
  private next = 0;
  private readonly leaves: string[];

  constructor(
    private readonly random: Random,
    size: WorldSize,
  ) {
    const nodes: SnapshotNode[] = Array.from({ length: size.nodes }, (_, i) => {
      const id = `n${String(i + 1).padStart(5, '0')}`;
      return {
        id,
        name: id,
        gpus: Array.from({ length: 8 }, (_, index) => ({ index, model: MODEL })),
        labels: { [DEFAULT_POLICY_CONFIG.fabricLabel]: `fd${Math.floor(i / 16)}` },
        schedulable: true,
      };
    });
    const queues = queueTree(random, size.nodes * 8);
    this.leaves = queues.filter((q) => q.parent !== null).map((q) => q.name);
    const now = 1_800_000_000_000;
    const running: RunningJob[] = [];
    for (const node of nodes) {
      const busy = node.gpus.filter(() => random() < size.busyFraction).length;
      if (busy > 0) running.push(this.running(node.id, [...Array(busy).keys()], now));
    }
    const pending = Array.from({ length: size.pending }, () =>
      this.pendingJob(now - randomInt(random, 0, 3_600_000)),
    );
    this.snapshot = {
      now,
      nodes,
      running,
      pending: pending.sort((a, b) => a.submittedAt - b.submittedAt),
      queues,
      classes: DEFAULT_PRIORITY_CLASSES,
      usage: new Map(this.leaves.map((q) => [q, { [MODEL]: randomInt(random, 0, 1e9) }])),
      config: DEFAULT_POLICY_CONFIG,
    };
  }

  private pendingJob(submittedAt: number): PendingJob {
    const queue = this.leaves[randomInt(this.random, 0, this.leaves.length - 1)]!;
    return {
      id: `p${this.next++}`,
      queue,
      tenant: queue.split('/')[0]!,
      priorityClass: weightedChoice(this.random, CLASSES),
      priority: 0,
      submittedAt,
      shape: weightedChoice(this.random, SHAPES),
      estimatedRuntimeSeconds: randomInt(this.random, 60, 86_400),
      nominatedNodeIds: [],
    };
  }

  private running(nodeId: string, gpuIndices: number[], now: number, job?: PendingJob): RunningJob {
    const id = job?.id ?? `r${this.next++}`;
    const queue = job?.queue ?? this.leaves[randomInt(this.random, 0, this.leaves.length - 1)]!;
    return {
      id,
      queue,
      tenant: queue.split('/')[0]!,
      priorityClass: job?.priorityClass ?? weightedChoice(this.random, CLASSES),
      priority: job?.priority ?? 0,
      shape: job?.shape ?? { nodes: 1, gpusPerNode: gpuIndices.length, gpuModel: null },
      allocations: [{ nodeId, gpuIndices }],
      gpuModel: MODEL,
      startedAt: now - randomInt(this.random, 0, 7_200_000),
      expectedEndAt: now + randomInt(this.random, 60_000, 86_400_000),
      lastCheckpointAt: null,
      protectedUntil: 0,
      stopping: false,
      preemptions: 0,
    };
  }

  /** Applies a decision, ends ~1% of the running jobs, refills the queue; 10 s pass. */
  advance(decision: Decision): void {
    const { snapshot } = this;
    const now = snapshot.now + 10_000;
    const placed = new Map(decision.placements.map((p) => [p.jobId, p]));
    const victims = new Set(decision.preemptions.map((p) => p.jobId));
    const running = snapshot.running
      .filter((job) => !job.stopping && this.random() >= 0.01)
      .map((job) => (victims.has(job.id) ? { ...job, stopping: true } : job));
    for (const job of snapshot.pending) {
      const placement = placed.get(job.id);
      if (!placement) continue;
      running.push({
        ...this.running(placement.allocations[0]!.nodeId, [], now, job),
        allocations: placement.allocations.map((a) => ({
          nodeId: a.nodeId,
          gpuIndices: a.gpuIndices,
        })),
        startedAt: now,
      });
    }
    // Nodes held for a job while its victims stop come back with it, as the store keeps them.
    const nominated = new Map(decision.nominations.map((n) => [n.jobId, n.nodeIds]));
    const pending = snapshot.pending
      .filter((job) => !placed.has(job.id))
      .map((job) => {
        const nodeIds = nominated.get(job.id);
        return nodeIds ? { ...job, nominatedNodeIds: nodeIds } : job;
      });
    for (let i = 0; i < placed.size; i++) pending.push(this.pendingJob(now));
    this.snapshot = { ...snapshot, now, running, pending };
  }
}
