/**
 * RecordingGateway: a small AgentGatewayService for the node agent's integration tests. It is
 * a test harness, not a product fake: it checks the bootstrap and node tokens like the real
 * control plane does, records every call it gets, and answers as each test scripts it
 * (reject a task's events, be unavailable, rotate the node token, order tasks stopped).
 */
import { status } from '@grpc/grpc-js';
import {
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  type GantryError,
} from '@gantry/domain';
import { bearerToken, startGrpcServer, unary, type RunningGrpcServer } from '@gantry/grpc';
import {
  AgentGatewayServiceService,
  GANTRY_FILE_DESCRIPTOR_SET_BASE64,
  type AbandonStepRequest,
  type AgentGatewayServiceServer,
  type ClaimStepRequest,
  type CompleteStepRequest,
  type HeartbeatRequest,
  type RegisterRequest,
  type TaskEvent,
  type TaskRef,
} from '@gantry/proto';
import type { Metadata } from '@grpc/grpc-js';

export interface Recorded<T> {
  readonly request: T;
  readonly token: string;
}

export class RecordingGateway {
  readonly registers: Recorded<RegisterRequest>[] = [];
  readonly heartbeats: Recorded<HeartbeatRequest>[] = [];
  /** Every event received, in arrival order, resends included. */
  readonly received: TaskEvent[] = [];
  /** Hashes of the step-cache claims agents made, in order. */
  readonly stepClaims: string[] = [];
  /** Tasks whose events are rejected (accepted=false), as for a stale attempt. */
  readonly rejectTasks = new Set<string>();
  /** When set, every call fails with this error (UNAVAILABLE: the control plane is down). */
  failAll: GantryError | undefined;
  /** Answered once by the next heartbeat. */
  stopTasks: TaskRef[] = [];
  nodeToken = 'gn_test_token_1';
  readonly nodeId = 'node_test';
  private server: RunningGrpcServer | undefined;
  private rotations = 1;

  constructor(
    readonly bootstrapToken: string,
    private readonly heartbeatMs = 200,
  ) {}

  async start(port = 0): Promise<this> {
    this.server = await startGrpcServer({
      host: '127.0.0.1',
      port,
      maxMessageBytes: 4 * 1024 * 1024,
      services: [
        {
          name: 'gantry.v1.AgentGatewayService',
          definition: AgentGatewayServiceService,
          implementation: this.implementation(),
        },
      ],
      descriptorSetBase64: GANTRY_FILE_DESCRIPTOR_SET_BASE64,
    });
    return this;
  }

  get address(): string {
    return `127.0.0.1:${this.server!.port}`;
  }

  /** Issues a new node token; the old one is UNAUTHENTICATED from now on (until Register). */
  rotateToken(): void {
    this.nodeToken = `gn_test_token_${++this.rotations}`;
  }

  /** The distinct events of one attempt that were accepted, by sequence. */
  delivered(taskId: string, attempt: number): TaskEvent[] {
    const bySequence = new Map<number, TaskEvent>();
    for (const event of this.received)
      if (
        event.task?.taskId === taskId &&
        event.task.attempt === attempt &&
        !this.rejectTasks.has(taskId)
      )
        bySequence.set(event.sequence, event);
    return [...bySequence.values()].sort((a, b) => a.sequence - b.sequence);
  }

  async close(): Promise<void> {
    await this.server?.shutdown(0);
  }

  private authorize(metadata: Metadata, expected: string): void {
    if (this.failAll) throw this.failAll;
    if (bearerToken(metadata) !== expected) throw new UnauthenticatedError('unknown token');
  }

  private implementation(): AgentGatewayServiceServer {
    return {
      register: unary('Register', async (request: RegisterRequest, call) => {
        this.authorize(call.metadata, this.bootstrapToken);
        this.registers.push({ request, token: bearerToken(call.metadata) });
        const interval = { seconds: 0, nanos: this.heartbeatMs * 1e6 };
        return { nodeId: this.nodeId, nodeToken: this.nodeToken, heartbeatInterval: interval };
      }),
      heartbeat: unary('Heartbeat', async (request: HeartbeatRequest, call) => {
        this.authorize(call.metadata, this.nodeToken);
        if (request.nodeId !== this.nodeId) throw new NotFoundError('node', request.nodeId);
        this.heartbeats.push({ request, token: bearerToken(call.metadata) });
        const stopTasks = this.stopTasks.splice(0);
        return { stopTasks, heartbeatInterval: undefined };
      }),
      reportTaskEvents: unary('ReportTaskEvents', async (request, call) => {
        this.authorize(call.metadata, this.nodeToken);
        this.received.push(...request.events);
        return {
          acks: request.events.map((e) => ({
            task: e.task,
            sequence: e.sequence,
            accepted: !this.rejectTasks.has(e.task?.taskId ?? ''),
            message: this.rejectTasks.has(e.task?.taskId ?? '') ? 'attempt is not current' : '',
          })),
        };
      }),
      // The step cache: every call is claimed (nothing is cached here); claims are recorded.
      claimStep: unary('ClaimStep', async (request: ClaimStepRequest, call) => {
        this.authorize(call.metadata, this.nodeToken);
        this.stepClaims.push(request.hash);
        const token = `claim-${this.stepClaims.length}`;
        return {
          outcome: { $case: 'claim', claim: { token, claimTtl: { seconds: 60, nanos: 0 } } },
        };
      }),
      completeStep: unary('CompleteStep', async (_request: CompleteStepRequest, call) => {
        this.authorize(call.metadata, this.nodeToken);
        return {};
      }),
      abandonStep: unary('AbandonStep', async (_request: AbandonStepRequest, call) => {
        this.authorize(call.metadata, this.nodeToken);
        return {};
      }),
    };
  }
}

export const unavailable = () =>
  new UnavailableError(`${status[status.UNAVAILABLE]}: control plane down`);
