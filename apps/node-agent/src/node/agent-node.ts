import type {
  DescribeNodeResponse,
  HeartbeatRequest,
  NodeInventory,
  RegisterRequest,
  TaskRef,
} from '@gantry/proto';
import type { WarmEngine } from '@gantry/workers';
import type { NodeReport } from '../control-plane/session';
import { fromTaskRef, toTaskStatus, toWarmEngines } from '../protocol/mapping';
import type { TaskSupervisor } from '../tasks/task-supervisor';

/** Who this agent process is. */
export interface AgentIdentity {
  readonly nodeName: string;
  /** A fresh uuid per process: the control plane learns from a new one that the agent restarted. */
  readonly instanceId: string;
  readonly agentVersion: string;
  readonly startTime: Date;
  readonly labels: Readonly<Record<string, string>>;
}

/** GANTRY_NODE_LABELS (`key=value,key=value`) as a map. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const at = pair.indexOf('=');
    labels[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return labels;
}

/**
 * This node as the control plane sees it: what Register, Heartbeat and DescribeNode carry. The
 * inventory (GPUs, host) is read once at start-up; its warm engines are read at each report.
 */
export class AgentNode implements NodeReport {
  /** host:port of this agent's NodeAgentService, known once the server listens. */
  address = '';

  constructor(
    readonly identity: AgentIdentity,
    readonly inventory: NodeInventory,
    private readonly supervisor: Pick<TaskSupervisor, 'snapshots' | 'stopTasks'>,
    private readonly warmEngines: () => readonly WarmEngine[] = () => [],
  ) {}

  /** The inventory with the engines warm now. */
  currentInventory(): NodeInventory {
    return { ...this.inventory, warmEngines: toWarmEngines(this.warmEngines()) };
  }

  registerRequest(): RegisterRequest {
    return {
      nodeName: this.identity.nodeName,
      agentAddress: this.address,
      inventory: this.currentInventory(),
      labels: { ...this.identity.labels },
      agentVersion: this.identity.agentVersion,
      instanceId: this.identity.instanceId,
      tasks: this.supervisor.snapshots().map(toTaskStatus),
    };
  }

  heartbeatRequest(nodeId: string): HeartbeatRequest {
    return {
      nodeId,
      inventory: this.currentInventory(),
      tasks: this.supervisor.snapshots().map(toTaskStatus),
      instanceId: this.identity.instanceId,
    };
  }

  stopTasks(refs: readonly TaskRef[], why: string): void {
    this.supervisor.stopTasks(refs.map(fromTaskRef), why);
  }

  describe(): Omit<DescribeNodeResponse, 'tasks' | 'nodeId'> {
    return {
      nodeName: this.identity.nodeName,
      inventory: this.currentInventory(),
      agentVersion: this.identity.agentVersion,
      instanceId: this.identity.instanceId,
      startTime: this.identity.startTime,
    };
  }
}
