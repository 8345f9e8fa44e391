/**
 * A trace made ready to replay on a cluster: each job with its shape, tenant, leaf queue,
 * priority class and estimate kind; the queue tree; the jobs that can never fit, dropped.
 */
import {
  DEFAULT_PRIORITY_CLASSES,
  type JobShape,
  type PriorityClass,
  type QueueSpec,
} from '../../model';
import { gpuCountKind } from '../../estimates';
import type { SimCluster } from '../cluster/build-nodes';
import type { TraceJob } from '../trace/trace-job';
import {
  classFor,
  DEFAULT_CLASS_MIX,
  DEFAULT_TENANTS,
  fitsCluster,
  shapeFor,
  tenantFor,
  type ClassShare,
} from './assignment';
import { buildQueues } from './queues';

export interface SimJob {
  readonly id: string;
  /** Seconds from the start of the replay. */
  readonly submitAt: number;
  /** True run time, seconds: the engine uses it, the policy never sees it. */
  readonly duration: number;
  /** GPUs the trace asked for (the shape may round up to whole nodes). */
  readonly gpus: number;
  readonly shape: JobShape;
  readonly tenant: string;
  readonly queue: string;
  readonly priorityClass: string;
  /** The estimator's kind (GPU count bucket). */
  readonly kind: string;
  /** Order within its queue and class, higher first (a lease's bid); 0 when absent. */
  readonly priority?: number;
  /**
   * Ends when it is preempted instead of going back to pending (a lease: its renter is given
   * the notice, and asks again if it wants); trace jobs go back to pending.
   */
  readonly endsWhenPreempted?: boolean;
  /**
   * Whether the runtime estimator learns from its run (default true). Live, the estimator
   * learns only from jobs that end on their own; a lease job always ends cancelled.
   */
  readonly learnsRuntime?: boolean;
}

export interface Workload {
  /** In submit order. */
  readonly jobs: readonly SimJob[];
  readonly queues: readonly QueueSpec[];
  readonly classes: readonly PriorityClass[];
  readonly tenants: readonly string[];
  /** Jobs no node group of the cluster could ever hold. */
  readonly dropped: readonly TraceJob[];
}

export interface WorkloadOptions {
  readonly seed: number;
  /** Tenants for traces without their own (ITP). */
  readonly tenants?: number;
  readonly classMix?: readonly ClassShare[];
  readonly classes?: readonly PriorityClass[];
}

/** `trace` must already be prepared (prepareTrace: ordered, load applied). */
export function buildWorkload(
  trace: readonly TraceJob[],
  cluster: SimCluster,
  options: WorkloadOptions,
): Workload {
  const tenantCount = options.tenants ?? DEFAULT_TENANTS;
  if (!(Number.isInteger(tenantCount) && tenantCount >= 1 && tenantCount <= 1000))
    throw new RangeError(`tenants: must be a whole number from 1 to 1000 (got ${tenantCount})`);
  const classes = options.classes ?? DEFAULT_PRIORITY_CLASSES;
  const mix = options.classMix ?? DEFAULT_CLASS_MIX;
  for (const share of mix)
    if (!classes.some((c) => c.name === share.name))
      throw new RangeError(`class mix: unknown priority class '${share.name}'`);
  const jobs: SimJob[] = [];
  const dropped: TraceJob[] = [];
  const gpuSeconds = new Map<string, number>();
  for (const job of trace) {
    const shape = shapeFor(job.gpus, cluster.maxGpusPerNode);
    if (!fitsCluster(shape, cluster.spec)) {
      dropped.push(job);
      continue;
    }
    const tenant = tenantFor(job, options.seed, tenantCount);
    gpuSeconds.set(tenant, (gpuSeconds.get(tenant) ?? 0) + job.gpus * job.duration);
    jobs.push({
      id: job.id,
      submitAt: job.submitAt,
      duration: job.duration,
      gpus: job.gpus,
      shape,
      tenant,
      queue: tenant,
      priorityClass: classFor(job.id, options.seed, mix),
      kind: gpuCountKind(job.gpus),
    });
  }
  return {
    jobs,
    queues: buildQueues(gpuSeconds, cluster.gpusByModel),
    classes,
    tenants: [...gpuSeconds.keys()].sort(),
    dropped,
  };
}
