/**
 * A node agent's gRPC server (NodeAgentService on 127.0.0.1, a free port) whose RunTask and
 * CancelTask answer as the test scripts them and record each request with the bearer token
 * it came with. Stands in for apps/node-agent in the control plane's unit tests.
 */
import { bearerToken, startGrpcServer, unary, type RunningGrpcServer } from '@gantry/grpc';
import {
  GANTRY_FILE_DESCRIPTOR_SET_BASE64,
  NodeAgentServiceService,
  type CancelTaskRequest,
  type CancelTaskResponse,
  type NodeAgentServiceServer,
  type RunTaskRequest,
  type RunTaskResponse,
} from '@gantry/proto';

export class ScriptedNodeAgent {
  readonly runs: { request: RunTaskRequest; token: string }[] = [];
  readonly cancels: { request: CancelTaskRequest; token: string }[] = [];
  /** What RunTask does; throw a GantryError to answer with its status. */
  runTask: (request: RunTaskRequest) => Promise<RunTaskResponse> = async () => ({
    status: undefined,
    created: true,
  });
  cancelTask: (request: CancelTaskRequest) => Promise<CancelTaskResponse> = async () => ({
    status: undefined,
  });

  private server?: RunningGrpcServer;

  get address(): string {
    return `127.0.0.1:${this.server?.port}`;
  }

  static async start(): Promise<ScriptedNodeAgent> {
    const agent = new ScriptedNodeAgent();
    const implementation: NodeAgentServiceServer = {
      runTask: unary('RunTask', (request: RunTaskRequest, call) => {
        agent.runs.push({ request, token: bearerToken(call.metadata) });
        return agent.runTask(request);
      }),
      cancelTask: unary('CancelTask', (request: CancelTaskRequest, call) => {
        agent.cancels.push({ request, token: bearerToken(call.metadata) });
        return agent.cancelTask(request);
      }),
      describeNode: unary('DescribeNode', async () => ({
        nodeId: '',
        nodeName: '',
        tasks: [],
        agentVersion: '',
        instanceId: '',
      })),
    };
    agent.server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 4 * 1024 * 1024,
      services: [
        {
          name: 'gantry.v1.NodeAgentService',
          definition: NodeAgentServiceService,
          implementation,
        },
      ],
      descriptorSetBase64: GANTRY_FILE_DESCRIPTOR_SET_BASE64,
    });
    return agent;
  }

  async stop(): Promise<void> {
    await this.server?.shutdown(0);
  }
}
