/** Nodes: registration, agent tokens, liveness. */
import type { Credential } from '@gantry/domain';
import type { ChangedJob, FenceToken } from './cycle';

export type NodeState = 'ready' | 'lost';

export interface GpuRecord {
  readonly index: number;
  readonly uuid: string;
  readonly name: string;
  /** Catalog id, or '' when unknown. */
  readonly model: string;
  readonly memoryBytes: number;
}

export interface NodeInventory {
  readonly gpus: readonly GpuRecord[];
  readonly simulated: boolean;
  readonly hostname: string;
  readonly cpuCount: number;
  readonly memoryBytes: number;
  /** Inference engines the agent keeps warm (absent in inventories written before they were). */
  readonly warmEngines?: readonly WarmEngineRecord[];
}

/** An inference engine an agent runs (see ADR 9); the policy prefers nodes where a model is warm. */
export interface WarmEngineRecord {
  readonly model: string;
  readonly revision: string;
  readonly engine: string;
  readonly gpuIndices: readonly number[];
  readonly busy: boolean;
}

export interface NodeRecord {
  readonly id: string;
  readonly name: string;
  readonly address: string;
  readonly state: NodeState;
  readonly inventory: NodeInventory;
  readonly labels: Readonly<Record<string, string>>;
  readonly agentVersion: string;
  readonly instanceId: string;
  /** The lookup id of the node's current token (never the secret). */
  readonly tokenLookupId: string;
  readonly registeredAt: number;
  readonly lostAt: number | null;
}

export interface NodeRepository {
  /**
   * Adds a node or refreshes the one with this name (new address, inventory, instance), marks it
   * ready, and stores `token` (its lookup id and secret hash; the caller makes it, derived from
   * the bootstrap secret so it can present it to the agent later) in place of the old one, which
   * stops working.
   */
  register(input: {
    name: string;
    address: string;
    inventory: NodeInventory;
    labels: Readonly<Record<string, string>>;
    agentVersion: string;
    instanceId: string;
    token: Credential;
    now: number;
  }): Promise<{ node: NodeRecord; previousInstanceId: string | null }>;
  /** The node a token belongs to, or undefined. */
  authenticate(presentedToken: string): Promise<NodeRecord | undefined>;
  get(nodeId: string): Promise<NodeRecord | undefined>;
  list(): Promise<NodeRecord[]>;
  /**
   * Fenced. Marks the node lost and abandons each of its active attempts (cause NodeLost).
   * Returns the jobs that changed. No-op for a node already lost.
   */
  markLost(
    fence: FenceToken,
    nodeId: string,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob[]>;
  /** A lost node that heartbeats again is ready again. */
  markReady(nodeId: string, now: number): Promise<void>;
  /**
   * Contract: sets the node's warm engines (inventory.warmEngines, read by the scheduler's
   * snapshot for engine affinity) to `engines` where they differ from those stored, compared and
   * written in one statement; writes nothing when they are the same. Returns whether it wrote
   * (false for an unknown node).
   */
  setWarmEngines(nodeId: string, engines: readonly WarmEngineRecord[]): Promise<boolean>;
}
