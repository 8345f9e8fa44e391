/**
 * NodeRepository (libs/store/src/api.ts) in memory, for unit tests only. Tokens are checked as
 * the store checks them (lookup id, then the secret's hash); markLost abandons the node's
 * active attempts through the job repository it is given, and every fenced call is recorded.
 */
import {
  newId,
  parseCredential,
  Reason,
  secretMatches,
  type Clock,
  type Credential,
} from '@gantry/domain';
import type {
  ChangedJob,
  FenceToken,
  NodeInventory,
  NodeRecord,
  NodeRepository,
  WarmEngineRecord,
} from '@gantry/store';
import type { InMemoryJobRepository } from './in-memory-jobs';

/** A node with `gpus` GPUs of one model, ready unless told otherwise. */
export function aNode(
  id: string,
  options: Partial<Omit<NodeRecord, 'id'>> & { gpus?: number; model?: string } = {},
): NodeRecord {
  const { gpus = 8, model = 'H100-80GB', ...fields } = options;
  return {
    id,
    name: id,
    address: `${id}.test:7070`,
    state: 'ready',
    inventory: anInventory(gpus, model),
    labels: {},
    agentVersion: 'test',
    instanceId: `instance-of-${id}`,
    tokenLookupId: '',
    registeredAt: 0,
    lostAt: null,
    ...fields,
  };
}

export function anInventory(gpus: number, model = 'H100-80GB'): NodeInventory {
  return {
    gpus: Array.from({ length: gpus }, (_, index) => ({
      index,
      uuid: `GPU-${index}`,
      name: `NVIDIA ${model}`,
      model,
      memoryBytes: 80 * 2 ** 30,
    })),
    simulated: true,
    hostname: 'host',
    cpuCount: 16,
    memoryBytes: 64 * 2 ** 30,
  };
}

export class InMemoryNodeRepository implements NodeRepository {
  readonly nodes = new Map<string, NodeRecord>();
  readonly lost: { fence: FenceToken; nodeId: string; detail: string }[] = [];
  readonly readied: string[] = [];
  /** The node of each setWarmEngines call, in order (a caller compares first: calls cost). */
  readonly warmEngineCalls: string[] = [];
  private readonly tokens = new Map<string, { nodeId: string; secretHash: string }>();

  constructor(
    private readonly clock: Clock,
    private readonly jobs?: InMemoryJobRepository,
  ) {}

  add(...nodes: NodeRecord[]): void {
    for (const node of nodes) this.nodes.set(node.id, node);
  }

  node(id: string): NodeRecord {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`test set-up: no node ${id}`);
    return node;
  }

  async register(input: {
    name: string;
    address: string;
    inventory: NodeInventory;
    labels: Readonly<Record<string, string>>;
    agentVersion: string;
    instanceId: string;
    token: Credential;
    now: number;
  }): Promise<{ node: NodeRecord; previousInstanceId: string | null }> {
    const earlier = [...this.nodes.values()].find((n) => n.name === input.name);
    if (earlier) this.tokens.delete(earlier.tokenLookupId);
    const node: NodeRecord = {
      id: earlier?.id ?? newId('node', this.clock),
      name: input.name,
      address: input.address,
      state: 'ready',
      inventory: input.inventory,
      labels: input.labels,
      agentVersion: input.agentVersion,
      instanceId: input.instanceId,
      tokenLookupId: input.token.lookupId,
      registeredAt: input.now,
      lostAt: null,
    };
    this.nodes.set(node.id, node);
    this.tokens.set(input.token.lookupId, { nodeId: node.id, secretHash: input.token.secretHash });
    return { node, previousInstanceId: earlier?.instanceId ?? null };
  }

  async authenticate(presentedToken: string): Promise<NodeRecord | undefined> {
    const parsed = parseCredential('node-token', presentedToken);
    const stored = parsed && this.tokens.get(parsed.lookupId);
    if (!parsed || !stored || !secretMatches(parsed.secret, stored.secretHash)) return undefined;
    return this.nodes.get(stored.nodeId);
  }

  async get(nodeId: string): Promise<NodeRecord | undefined> {
    return this.nodes.get(nodeId);
  }

  async list(): Promise<NodeRecord[]> {
    return [...this.nodes.values()];
  }

  async markLost(
    fence: FenceToken,
    nodeId: string,
    detail: string,
    maxAttempts: number,
    now: number,
  ): Promise<ChangedJob[]> {
    this.lost.push({ fence, nodeId, detail });
    const node = this.nodes.get(nodeId);
    if (!node || node.state === 'lost') return [];
    this.nodes.set(nodeId, { ...node, state: 'lost', lostAt: now });
    const changed: ChangedJob[] = [];
    for (const attempt of (await this.jobs?.activeAttemptsOn(nodeId)) ?? []) {
      const job = await this.jobs?.abandonAttempt(
        attempt.jobId,
        attempt.number,
        Reason.NodeLost,
        detail,
        maxAttempts,
        now,
      );
      if (job) changed.push(job);
    }
    return changed;
  }

  async markReady(nodeId: string, _now: number): Promise<void> {
    this.readied.push(nodeId);
    const node = this.nodes.get(nodeId);
    if (node) this.nodes.set(nodeId, { ...node, state: 'ready', lostAt: null });
  }

  async setWarmEngines(nodeId: string, engines: readonly WarmEngineRecord[]): Promise<boolean> {
    this.warmEngineCalls.push(nodeId);
    const node = this.nodes.get(nodeId);
    if (!node || JSON.stringify(node.inventory.warmEngines) === JSON.stringify(engines))
      return false;
    this.nodes.set(nodeId, { ...node, inventory: { ...node.inventory, warmEngines: engines } });
    return true;
  }
}
