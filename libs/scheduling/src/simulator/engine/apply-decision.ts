/**
 * Checks a policy's decision against the engine's ground truth before anything of it takes
 * effect, and throws PolicyViolationError at the first broken rule: a placement for a job that
 * is not pending, placed twice, a gang that is not all or nothing (one allocation per node of
 * the shape, each with exactly its GPUs), a GPU that is unknown, of another model or already
 * held (given twice), a node that is not schedulable, a multi-node job across fabric domains,
 * a preemption of a job that is not running, already stopping or not preemptible, or a
 * nomination for a job that is not pending or of an unknown node.
 */
import type { Decision, NodeAllocation, PriorityClass, SnapshotNode } from '../../model';
import type { GpuLedger } from './gpu-ledger';
import { Status, type JobState } from './job-state';

export class PolicyViolationError extends Error {
  constructor(policy: string, at: number, message: string) {
    super(`policy '${policy}' at t=${at}s: ${message}`);
    this.name = 'PolicyViolationError';
  }
}

/** The replay was stopped: the policy preempted more than the engine's limit allows. */
export class PreemptionStormError extends Error {
  constructor(policy: string, at: number, preemptions: number, ended: number, jobs: number) {
    super(
      `policy '${policy}' preempted ${preemptions} times by t=${at}s with ${ended} of ${jobs} ` +
        `jobs ended: a preemption storm (victims preempting each other back?); replay stopped`,
    );
    this.name = 'PreemptionStormError';
  }
}

export interface DecisionContext {
  readonly policy: string;
  readonly now: number;
  readonly byId: ReadonlyMap<string, JobState>;
  readonly ledger: GpuLedger;
  readonly classes: ReadonlyMap<string, PriorityClass>;
  readonly fabricLabel: string;
}

export interface Accepted {
  readonly preempted: readonly JobState[];
  readonly nominated: readonly { readonly state: JobState; readonly nodeIds: readonly string[] }[];
  readonly placed: readonly {
    readonly state: JobState;
    readonly allocations: readonly NodeAllocation[];
    readonly model: string;
  }[];
}

/** Validates the decision and holds the placed GPUs in the ledger. */
export function acceptDecision(decision: Decision, ctx: DecisionContext): Accepted {
  const fail = (message: string): never => {
    throw new PolicyViolationError(ctx.policy, ctx.now, message);
  };
  const preempted: JobState[] = [];
  const victims = new Set<string>();
  for (const preemption of decision.preemptions) {
    const state = ctx.byId.get(preemption.jobId);
    if (!state || state.status !== Status.Running)
      fail(`preempts ${preemption.jobId}, which is not running`);
    if (victims.has(preemption.jobId)) fail(`preempts ${preemption.jobId} twice`);
    if (state!.stopping) fail(`preempts ${preemption.jobId}, which is already stopping`);
    if (!ctx.classes.get(state!.job.priorityClass)?.preemptible)
      fail(
        `preempts ${preemption.jobId} of class ${state!.job.priorityClass}, which is not preemptible`,
      );
    victims.add(preemption.jobId);
    preempted.push(state!);
  }
  const placed: { state: JobState; allocations: readonly NodeAllocation[]; model: string }[] = [];
  const seen = new Set<string>();
  for (const placement of decision.placements) {
    const state = ctx.byId.get(placement.jobId);
    if (!state || state.status !== Status.Pending)
      fail(`places ${placement.jobId}, which is not pending`);
    if (seen.has(placement.jobId)) fail(`places ${placement.jobId} twice`);
    seen.add(placement.jobId);
    const { shape } = state!.job;
    const what = `${placement.jobId} (${shape.nodes} x ${shape.gpusPerNode} GPUs)`;
    if (placement.allocations.length !== shape.nodes)
      fail(`places ${what} on ${placement.allocations.length} node(s): a gang is all or nothing`);
    const models = new Set<string>();
    const domains = new Set<string>();
    const nodes = new Set<string>();
    for (const allocation of placement.allocations) {
      const position = ctx.ledger.positions.get(allocation.nodeId);
      if (position === undefined) fail(`places ${what} on unknown node ${allocation.nodeId}`);
      const node: SnapshotNode = ctx.ledger.nodes[position!]!;
      if (!node.schedulable) fail(`places ${what} on unschedulable node ${node.id}`);
      if (nodes.has(node.id)) fail(`places ${what} twice on node ${node.id}`);
      nodes.add(node.id);
      domains.add(node.labels[ctx.fabricLabel] ?? `\u0000${node.id}`);
      if (allocation.gpuIndices.length !== shape.gpusPerNode)
        fail(`places ${what} with ${allocation.gpuIndices.length} GPUs on ${node.id}`);
      const indices = new Set<number>();
      for (const index of allocation.gpuIndices) {
        const slot = ctx.ledger.slotOf(position!, index);
        if (slot < 0) fail(`places ${what} on GPU ${node.id}/${index}, which does not exist`);
        if (indices.has(index)) fail(`places ${what} on GPU ${node.id}/${index} twice`);
        indices.add(index);
        const holder = ctx.ledger.holderOf(position!, slot);
        if (holder !== -1)
          fail(`gives GPU ${node.id}/${index} to ${placement.jobId}, but it is held (given twice)`);
        models.add(ctx.ledger.modelOf(position!, slot));
      }
    }
    if (models.size > 1)
      fail(`places ${what} on GPUs of several models (${[...models].join(', ')})`);
    const model = [...models][0] ?? '';
    if (shape.gpuModel !== null && model !== shape.gpuModel)
      fail(`places ${what} on ${model} GPUs; it asks for ${shape.gpuModel}`);
    if (domains.size > 1) fail(`places ${what} across ${domains.size} fabric domains`);
    ctx.ledger.hold(state!.index, placement.allocations);
    placed.push({ state: state!, allocations: placement.allocations, model });
  }
  const nominated: { state: JobState; nodeIds: readonly string[] }[] = [];
  for (const nomination of decision.nominations) {
    const state = ctx.byId.get(nomination.jobId);
    if (!state || state.status !== Status.Pending || seen.has(nomination.jobId))
      fail(`nominates nodes for ${nomination.jobId}, which is not pending`);
    const unknown = nomination.nodeIds.find((id) => !ctx.ledger.positions.has(id));
    if (unknown !== undefined) fail(`nominates unknown node ${unknown} for ${nomination.jobId}`);
    nominated.push({ state: state!, nodeIds: nomination.nodeIds });
  }
  return { preempted, placed, nominated };
}
