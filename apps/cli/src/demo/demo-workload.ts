import { findGpuModel, type JobSpecInput } from '@gantry/domain';

/**
 * What part a demo job plays, and so what the checker expects of it: the scheduling part's
 * roles, then one per inference kind.
 */
export type DemoRole =
  'filler' | 'big' | 'progress' | 'simulated' | 'fails' | 'gang' | 'batch' | 'reasoning' | 'rl';

export interface DemoJob {
  readonly name: string;
  readonly role: DemoRole;
  /** All its GPUs (on every node of a multi-node job). */
  readonly gpus: number;
  /** Nodes it runs on at once: 1, or more for a multi-node (gang) job. */
  readonly nodes: number;
  readonly spec: JobSpecInput;
}

/** The cluster the demo runs on: `agents` nodes of `gpusPerAgent` GPUs of the `gpus` models. */
export interface ClusterShape {
  readonly agents: number;
  readonly gpusPerAgent: number;
  /** As --gpus gives it: `8xH100-80GB` or `4xH100-80GB,4xA100-80GB`. */
  readonly gpus: string;
}

/** The slowest model of the node: simulated work is sized so it takes long enough there too. */
function slowestSpeed(gpus: string): number {
  const speeds = gpus
    .split(',')
    .map((p) => findGpuModel(p.replace(/^\d+x/, ''))?.relativeSpeed ?? 1);
  return Math.min(...speeds);
}

/** Simulated work that takes about `seconds` on `gpus` GPUs (the agents' cost model). */
function simulated(
  name: string,
  role: DemoRole,
  gpus: number,
  seconds: number,
  shape: ClusterShape,
): DemoJob {
  const gpuSeconds = Math.round(seconds * gpus * slowestSpeed(shape.gpus) * 100) / 100;
  return {
    name,
    role,
    gpus,
    nodes: 1,
    spec: { name, resources: { gpus }, simulated: { gpu_seconds: gpuSeconds } },
  };
}

/** A real command that reports progress (GANTRY_PROGRESS lines) and prints a few log lines. */
function progressCommand(gpus: number): DemoJob {
  const name = `progress-${gpus}gpu`;
  const script =
    'i=0; for p in 0.2 0.4 0.6 0.8 1.0; do i=$((i+1)); ' +
    'echo "GANTRY_PROGRESS $p step $i/5"; echo "step $i on GPUs $CUDA_VISIBLE_DEVICES"; sleep 0.4; done';
  return {
    name,
    role: 'progress',
    gpus,
    nodes: 1,
    spec: { name, resources: { gpus }, command: { argv: ['sh', '-c', script] } },
  };
}

/**
 * A command on one GPU of each of `nodes` nodes, started together: each rank prints where the
 * gang meets (rank 0's host and the attempt's port), as a distributed job's launcher would.
 */
function gangCommand(nodes: number): DemoJob {
  const name = `gang-${nodes}x1gpu`;
  const script =
    'echo "rank $GANTRY_NODE_RANK of $GANTRY_NUM_NODES on GPU $CUDA_VISIBLE_DEVICES, ' +
    'rendezvous $MASTER_ADDR:$MASTER_PORT"; sleep 1';
  return {
    name,
    role: 'gang',
    gpus: nodes,
    nodes,
    spec: { name, resources: { gpus: 1, nodes }, command: { argv: ['sh', '-c', script] } },
  };
}

/**
 * Phase 1: one job per node taking more than half its GPUs, so no node has all its GPUs free
 * for a while (each node fits only one).
 */
export function fillerJobs(shape: ClusterShape): DemoJob[] {
  const gpus = Math.floor(shape.gpusPerAgent / 2) + 1;
  return Array.from({ length: shape.agents }, (_, i) =>
    simulated(`hold-node-${i + 1}`, 'filler', gpus, 6, shape),
  );
}

/**
 * Phase 2, submitted once the fillers run: first a job needing a whole node (it must wait,
 * WaitingForResources or Reserved, and run when a filler ends), then smaller jobs behind it that must not
 * be blocked by it: commands with 1, 2, 4 and 8 GPUs reporting progress, simulated jobs of
 * several sizes, a 2-node job (with two agents or more), and one command that fails with exit
 * code 3.
 */
export function mainJobs(shape: ClusterShape): DemoJob[] {
  const g = shape.gpusPerAgent;
  const sizes = (wanted: number[]) => [...new Set(wanted.map((n) => Math.min(n, g)))];
  const failing: DemoJob = {
    name: 'fails-exit-3',
    role: 'fails',
    gpus: 1,
    nodes: 1,
    spec: {
      name: 'fails-exit-3',
      resources: { gpus: 1 },
      command: {
        argv: [
          'sh',
          '-c',
          'echo "loading checkpoint"; echo "error: checkpoint not found" >&2; exit 3',
        ],
      },
    },
  };
  return [
    simulated('needs-whole-node', 'big', g, 3, shape),
    ...sizes([1, 2, 4, 8]).map(progressCommand),
    ...sizes([1, 2, 3, 6]).map((n, i) =>
      simulated(`simulated-${n}gpu`, 'simulated', n, 2 + i, shape),
    ),
    ...(shape.agents >= 2 ? [gangCommand(2)] : []),
    failing,
  ];
}

export const EXPECTED_EXIT_CODE_OF_FAILING_JOB = 3;
