import { credentials } from '@grpc/grpc-js';
import { bearerMetadata, callUnary, channelOptions } from '@gantry/grpc';
import {
  AgentGatewayServiceClient,
  type AbandonStepRequest,
  type ClaimStepRequest,
  type ClaimStepResponse,
  type CompleteStepRequest,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type RegisterRequest,
  type RegisterResponse,
  type ReportTaskEventsRequest,
  type ReportTaskEventsResponse,
} from '@gantry/proto';

/**
 * The control plane's AgentGatewayService as the agent uses it. Calls reject with the error
 * taxonomy of @gantry/domain: UnauthenticatedError or NotFoundError when the control plane no
 * longer knows the node or its token, UnavailableError when it cannot be reached.
 */
export interface AgentGateway {
  register(request: RegisterRequest, bootstrapToken: string): Promise<RegisterResponse>;
  heartbeat(request: HeartbeatRequest, nodeToken: string): Promise<HeartbeatResponse>;
  reportTaskEvents(
    request: ReportTaskEventsRequest,
    nodeToken: string,
  ): Promise<ReportTaskEventsResponse>;
  /** The step cache (ADR 9): the cached value, a claim to compute it, or "wait". */
  claimStep(request: ClaimStepRequest, nodeToken: string): Promise<ClaimStepResponse>;
  completeStep(request: CompleteStepRequest, nodeToken: string): Promise<void>;
  abandonStep(request: AbandonStepRequest, nodeToken: string): Promise<void>;
  close(): void;
}

/** Deadline of each call to the control plane. */
export const GATEWAY_CALL_TIMEOUT_MS = 10_000;

/** AgentGateway over gRPC (plaintext; put a mesh or a TLS proxy in front across networks). */
export class GrpcAgentGateway implements AgentGateway {
  private readonly client: AgentGatewayServiceClient;

  constructor(
    address: string,
    maxMessageBytes: number,
    /** The longest wait between attempts to reach a control plane that went away. */
    reconnectMaxMs: number,
    private readonly timeoutMs = GATEWAY_CALL_TIMEOUT_MS,
  ) {
    this.client = new AgentGatewayServiceClient(
      address,
      credentials.createInsecure(),
      channelOptions(maxMessageBytes, { reconnectMaxMs }),
    );
  }

  register(request: RegisterRequest, bootstrapToken: string): Promise<RegisterResponse> {
    const metadata = bearerMetadata(bootstrapToken);
    return callUnary(this.client, 'register', request, metadata, this.timeoutMs);
  }

  heartbeat(request: HeartbeatRequest, nodeToken: string): Promise<HeartbeatResponse> {
    const metadata = bearerMetadata(nodeToken);
    return callUnary(this.client, 'heartbeat', request, metadata, this.timeoutMs);
  }

  reportTaskEvents(
    request: ReportTaskEventsRequest,
    nodeToken: string,
  ): Promise<ReportTaskEventsResponse> {
    const metadata = bearerMetadata(nodeToken);
    return callUnary(this.client, 'reportTaskEvents', request, metadata, this.timeoutMs);
  }

  claimStep(request: ClaimStepRequest, nodeToken: string): Promise<ClaimStepResponse> {
    const metadata = bearerMetadata(nodeToken);
    return callUnary(this.client, 'claimStep', request, metadata, this.timeoutMs);
  }

  async completeStep(request: CompleteStepRequest, nodeToken: string): Promise<void> {
    const metadata = bearerMetadata(nodeToken);
    await callUnary(this.client, 'completeStep', request, metadata, this.timeoutMs);
  }

  async abandonStep(request: AbandonStepRequest, nodeToken: string): Promise<void> {
    const metadata = bearerMetadata(nodeToken);
    await callUnary(this.client, 'abandonStep', request, metadata, this.timeoutMs);
  }

  close(): void {
    this.client.close();
  }
}
