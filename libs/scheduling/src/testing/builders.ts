/**
 * Fluent builders for scheduling scenarios:
 *   aCluster().node(aNode('n1').gpus(8, 'H100-80GB').fabric('f1'))
 *     .running(aRunningJob('r1').on('n1', [0, 1]).cls('batch'))
 *     .pending(aJob('j1').gpus(2).queue('rl'))
 *     .node(aNode('n2').warm('llama-3-8b', [0, 1]))   // an idle warm engine
 *     .pending(aJob('j2').gpus(2).engine('llama-3-8b')) // a job that runs on one
 *     .snapshot(now)
 */
import {
  DEFAULT_POLICY_CONFIG,
  DEFAULT_PRIORITY_CLASSES,
  engineModelKey,
  type ClusterSnapshot,
  type PendingJob,
  type PolicyConfig,
  type PriorityClass,
  type QueueSpec,
  type RunningJob,
  type SnapshotEngine,
  type SnapshotNode,
} from '../model';

export class NodeBuilder {
  private spec: {
    id: string;
    gpus: number;
    model: string;
    labels: Record<string, string>;
    schedulable: boolean;
    warmEngines: SnapshotEngine[];
  };

  constructor(id: string) {
    this.spec = {
      id,
      gpus: 8,
      model: 'H100-80GB',
      labels: {},
      schedulable: true,
      warmEngines: [],
    };
  }
  gpus(count: number, model = 'H100-80GB'): this {
    this.spec = { ...this.spec, gpus: count, model };
    return this;
  }
  fabric(domain: string): this {
    this.spec.labels = { ...this.spec.labels, [DEFAULT_POLICY_CONFIG.fabricLabel]: domain };
    return this;
  }
  lost(): this {
    this.spec.schedulable = false;
    return this;
  }
  /** An inference engine of `model` (revision "main" unless given) warm on these GPUs, idle. */
  warm(
    model: string,
    gpuIndices: number[],
    options: { revision?: string; busy?: boolean } = {},
  ): this {
    const modelKey = engineModelKey(model, options.revision ?? 'main');
    const engine = { modelKey, gpuIndices, busy: options.busy ?? false };
    this.spec.warmEngines = [...this.spec.warmEngines, engine];
    return this;
  }
  build(): SnapshotNode {
    const { id, gpus, model, labels, schedulable, warmEngines } = this.spec;
    return {
      id,
      name: id,
      labels,
      schedulable,
      gpus: Array.from({ length: gpus }, (_, index) => ({ index, model })),
      ...(warmEngines.length > 0 ? { warmEngines } : {}),
    };
  }
}

export class JobBuilder {
  private job: PendingJob;

  constructor(id: string) {
    this.job = {
      id,
      queue: 'default',
      tenant: 't',
      priorityClass: 'batch',
      priority: 100,
      submittedAt: 0,
      shape: { nodes: 1, gpusPerNode: 1, gpuModel: null },
      estimatedRuntimeSeconds: 3600,
    };
  }
  gpus(count: number, model: string | null = null): this {
    return this.with({ shape: { nodes: 1, gpusPerNode: count, gpuModel: model } });
  }
  gang(nodes: number, gpusPerNode: number, model: string | null = null): this {
    return this.with({ shape: { nodes, gpusPerNode, gpuModel: model } });
  }
  queue(queue: string): this {
    return this.with({ queue, tenant: queue });
  }
  cls(priorityClass: string): this {
    return this.with({ priorityClass });
  }
  priority(priority: number): this {
    return this.with({ priority });
  }
  submitted(at: number): this {
    return this.with({ submittedAt: at });
  }
  /** Waiting since `at` (submit time plus earlier run time: aging, ADR 13). */
  waitingSince(at: number): this {
    return this.with({ waitingSince: at });
  }
  runtime(seconds: number | null): this {
    return this.with({ estimatedRuntimeSeconds: seconds });
  }
  nominated(...nodeIds: string[]): this {
    return this.with({ nominatedNodeIds: nodeIds });
  }
  /** Runs on an inference engine of `model` (revision "main" unless given). */
  engine(model: string, revision = 'main'): this {
    return this.with({ engineModelKey: engineModelKey(model, revision) });
  }
  private with(patch: Partial<PendingJob>): this {
    this.job = { ...this.job, ...patch };
    return this;
  }
  build(): PendingJob {
    return this.job;
  }
}

export class RunningBuilder {
  private job: RunningJob;

  constructor(id: string) {
    this.job = {
      id,
      queue: 'default',
      tenant: 't',
      priorityClass: 'batch',
      priority: 0,
      shape: { nodes: 1, gpusPerNode: 1, gpuModel: null },
      allocations: [],
      gpuModel: 'H100-80GB',
      startedAt: 0,
      expectedEndAt: 3_600_000,
      lastCheckpointAt: null,
      protectedUntil: 0,
      stopping: false,
    };
  }
  on(nodeId: string, gpuIndices: number[]): this {
    const allocations = [...this.job.allocations, { nodeId, gpuIndices }];
    const gpus = allocations.reduce((n, a) => n + a.gpuIndices.length, 0);
    return this.with({
      allocations,
      shape: { nodes: allocations.length, gpusPerNode: gpus / allocations.length, gpuModel: null },
    });
  }
  model(gpuModel: string): this {
    return this.with({ gpuModel });
  }
  queue(queue: string): this {
    return this.with({ queue, tenant: queue });
  }
  cls(priorityClass: string): this {
    return this.with({ priorityClass });
  }
  /** Its priority within its queue and class (an interruptible lease's bid in cents). */
  priority(priority: number): this {
    return this.with({ priority });
  }
  started(at: number): this {
    return this.with({ startedAt: at });
  }
  /** It had been waiting since `at` when it started (it waited `startedAt - at`: ADR 13). */
  waitingSince(at: number): this {
    return this.with({ waitingSince: at });
  }
  endsAt(at: number | null): this {
    return this.with({ expectedEndAt: at });
  }
  checkpointed(at: number): this {
    return this.with({ lastCheckpointAt: at });
  }
  protectedUntil(at: number): this {
    return this.with({ protectedUntil: at });
  }
  stopping(): this {
    return this.with({ stopping: true });
  }
  /** Preempted this often before. */
  preempted(count: number): this {
    return this.with({ preemptions: count });
  }
  private with(patch: Partial<RunningJob>): this {
    this.job = { ...this.job, ...patch };
    return this;
  }
  build(): RunningJob {
    return this.job;
  }
}

export class ClusterBuilder {
  private nodes: SnapshotNode[] = [];
  private runningJobs: RunningJob[] = [];
  private pendingJobs: PendingJob[] = [];
  private queueSpecs: QueueSpec[] = [];
  private classList: PriorityClass[] = [...DEFAULT_PRIORITY_CLASSES];
  private usageMap = new Map<string, Record<string, number>>();
  private policyConfig: PolicyConfig = DEFAULT_POLICY_CONFIG;

  node(...builders: NodeBuilder[]): this {
    this.nodes.push(...builders.map((b) => b.build()));
    return this;
  }
  running(...builders: RunningBuilder[]): this {
    this.runningJobs.push(...builders.map((b) => b.build()));
    return this;
  }
  pending(...builders: JobBuilder[]): this {
    this.pendingJobs.push(...builders.map((b) => b.build()));
    return this;
  }
  queue(
    name: string,
    options: {
      parent?: string;
      guaranteed?: Record<string, number>;
      max?: Record<string, number>;
      weight?: number;
    } = {},
  ): this {
    this.queueSpecs.push({
      name,
      parent: options.parent ?? null,
      guaranteed: options.guaranteed ?? {},
      max: options.max ?? {},
      weight: options.weight ?? 1,
    });
    return this;
  }
  usage(queue: string, gpuSeconds: Record<string, number>): this {
    this.usageMap.set(queue, gpuSeconds);
    return this;
  }
  config(patch: Partial<PolicyConfig>): this {
    this.policyConfig = { ...this.policyConfig, ...patch };
    return this;
  }
  classes(list: PriorityClass[]): this {
    this.classList = list;
    return this;
  }
  snapshot(now = 0): ClusterSnapshot {
    return {
      now,
      nodes: this.nodes,
      running: this.runningJobs,
      pending: this.pendingJobs,
      queues: this.queueSpecs,
      classes: this.classList,
      usage: this.usageMap,
      config: this.policyConfig,
    };
  }
}

export const aCluster = (): ClusterBuilder => new ClusterBuilder();
export const aNode = (id: string): NodeBuilder => new NodeBuilder(id);
export const aJob = (id: string): JobBuilder => new JobBuilder(id);
export const aRunningJob = (id: string): RunningBuilder => new RunningBuilder(id);
