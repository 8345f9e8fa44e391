/**
 * What the simulator engine takes and gives back, and the state one replay shares between
 * its loop, its cycles and its job transitions. Times are seconds from the replay's start.
 */
import type { EstimatorOptions, RuntimeEstimator } from '../../estimates';
import type {
  ClusterSnapshot,
  PolicyConfig,
  PriorityClass,
  QueueSpec,
  SchedulingPolicy,
  SnapshotNode,
} from '../../model';
import type { SimJob } from '../workload/workload';
import type { EventHeap } from './event-heap';
import type { GpuLedger } from './gpu-ledger';
import type { JobState } from './job-state';
import type { UsageTracker } from './usage';

export interface EngineInput {
  /** In submit order. */
  readonly jobs: readonly SimJob[];
  readonly nodes: readonly SnapshotNode[];
  readonly queues: readonly QueueSpec[];
  readonly classes: readonly PriorityClass[];
  readonly policy: SchedulingPolicy;
  readonly config: PolicyConfig;
  /** A running job checkpoints every this many seconds of its run; 0: never. */
  readonly checkpointIntervalSeconds: number;
  readonly estimator?: Partial<EstimatorOptions>;
  /** Process CPU time in ms (injected: the engine has no clock); measures decide() only. */
  readonly cpuTimeMs: () => number;
  /** Width of a timeline bucket, seconds (default: 1/1000 of the submit span, at least 60). */
  readonly timelineBucketSeconds?: number;
  /** The epoch ms the replay starts at in snapshots (default 0). */
  readonly epochMs?: number;
  /**
   * Preemptions after which the replay stops with PreemptionStormError (default: 5 per job,
   * plus 100): a policy that keeps preempting its own victims would otherwise replay forever.
   */
  readonly maxPreemptions?: number;
  /** Called now and then with the trace jobs ended so far and their total. */
  readonly onProgress?: (ended: number, total: number) => void;
  /**
   * A client that submits more jobs while the replay runs, after looking at the cluster as the
   * live API shows it (renters buying leases from the offers); none by default.
   */
  readonly submitter?: Submitter;
}

/** What a submitter sees of the replay at one moment. */
export interface ClusterView {
  /** GPUs no job holds. */
  readonly freeGpus: number;
  /**
   * Changes whenever the cluster may have (an event applied, a decision taken, a job
   * submitted): two looks with the same version see the same snapshot.
   */
  readonly version: number;
  /** The cluster as the scheduler would see it now (built when asked). */
  snapshot(): ClusterSnapshot;
}

/**
 * A client submitting jobs during the replay: at each time it names, it looks at the cluster and
 * returns the jobs it submits then (new ids, submitted at that time, in classes and queues of
 * the replay). The engine treats them as any job: the policy decides where and when they run.
 */
export interface Submitter {
  /** When it acts next, seconds (Infinity: never again); never earlier than the last time. */
  nextAt(): number;
  /** Acts at `now` (its nextAt()). */
  act(now: number, view: ClusterView): readonly SimJob[];
}

/** One stretch of a job on GPUs. */
export interface JobRun {
  readonly startAt: number;
  readonly endAt: number;
  readonly allocations: readonly {
    readonly nodeId: string;
    readonly gpuIndices: readonly number[];
  }[];
  /** Ended by preemption (else by completion). */
  readonly preempted: boolean;
  /** When a decision told it to stop (it kept its GPUs for its grace period); null if never. */
  readonly stopOrderedAt: number | null;
}

export interface JobRecord {
  readonly id: string;
  readonly tenant: string;
  readonly queue: string;
  readonly priorityClass: string;
  readonly submitAt: number;
  readonly firstStartAt: number;
  readonly endAt: number;
  /** True run time (trace duration). */
  readonly duration: number;
  /** GPUs held while running (the shape's, whole nodes for multi-node jobs). */
  readonly gpus: number;
  readonly preemptions: number;
  /** GPU-seconds of work lost to preemptions (run since the last checkpoint, grace included). */
  readonly lostGpuSeconds: number;
  /** Seconds spent pending in all (submit to end, less the time on GPUs). */
  readonly waitSeconds: number;
  readonly runs: readonly JobRun[];
}

/** Time-weighted means over one bucket of the timeline. */
export interface TimelinePoint {
  /** Bucket start, seconds. */
  readonly at: number;
  readonly busyGpus: number;
  readonly pendingJobs: number;
}

export interface EngineResult {
  readonly policy: string;
  /**
   * One per job, the trace's in submit order, then those a submitter added in the order they
   * came; jobs that never ended are absent (see `unfinished`).
   */
  readonly records: readonly JobRecord[];
  /** Ids of jobs still pending or running when no event was left (a policy left them). */
  readonly unfinished: readonly string[];
  readonly timeline: readonly TimelinePoint[];
  readonly timelineBucketSeconds: number;
  readonly capacityGpus: number;
  /** GPU-seconds held by jobs (stopping ones included), over the whole replay. */
  readonly busyGpuSeconds: number;
  readonly preemptions: number;
  readonly cycles: number;
  /** decide() CPU time of every cycle, ms. */
  readonly cycleCpuMs: Float64Array;
  readonly placements: number;
}

/** The state of one replay, shared by the engine loop, the cycle and the job transitions. */
export interface CycleContext {
  readonly input: EngineInput;
  readonly epochMs: number;
  /** The trace's jobs, then those a submitter added. */
  readonly states: JobState[];
  readonly byId: Map<string, JobState>;
  readonly classes: ReadonlyMap<string, PriorityClass>;
  readonly heap: EventHeap;
  readonly ledger: GpuLedger;
  readonly usage: UsageTracker;
  readonly estimator: RuntimeEstimator;
  /** Pending jobs in submit order (then trace order). */
  pending: JobState[];
  /** Running jobs, in start order. */
  readonly running: Set<JobState>;
  /** By job index, filled as jobs end. */
  readonly records: (JobRecord | undefined)[];
  readonly cycleCpuMs: number[];
  /** `ended` counts the trace's jobs only (progress); `version` the changes a ClusterView shows. */
  readonly counters: { preemptions: number; placements: number; ended: number; version: number };
}
