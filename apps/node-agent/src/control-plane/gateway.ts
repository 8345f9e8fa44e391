import { credentials } from '@grpc/grpc-js';
import { bearerMetadata, callUnary, channelOptions } from '@gantry/grpc';
import {
  AgentGatewayServiceClient,
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
    private readonly timeoutMs = GATEWAY_CALL_TIMEOUT_MS,
  ) {
    this.client = new AgentGatewayServiceClient(
      address,
      credentials.createInsecure(),
      channelOptions(maxMessageBytes),
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

  close(): void {
    this.client.close();
  }
}
