import { credentials } from '@grpc/grpc-js';
import { bearerMetadata, callUnary } from '@gantry/grpc';
import {
  NodeAgentServiceClient,
  type CancelTaskRequest,
  type CancelTaskResponse,
  type DescribeNodeResponse,
  type JobSpec,
  type RunTaskRequest,
  type RunTaskResponse,
} from '@gantry/proto';

/** Calls a node agent's NodeAgentService the way the control plane's dispatcher does. */
export class NodeAgentClient {
  private readonly client: NodeAgentServiceClient;

  constructor(
    address: string,
    public token: string,
  ) {
    this.client = new NodeAgentServiceClient(address, credentials.createInsecure());
  }

  runTask(request: RunTaskRequest, token = this.token): Promise<RunTaskResponse> {
    return callUnary(this.client, 'runTask', request, bearerMetadata(token), 5000);
  }

  cancelTask(request: CancelTaskRequest, token = this.token): Promise<CancelTaskResponse> {
    return callUnary(this.client, 'cancelTask', request, bearerMetadata(token), 5000);
  }

  describeNode(token = this.token): Promise<DescribeNodeResponse> {
    return callUnary(this.client, 'describeNode', {}, bearerMetadata(token), 5000);
  }

  close(): void {
    this.client.close();
  }
}

/** A command job spec. */
export function commandSpec(argv: string[], gpus = 0): JobSpec {
  return {
    name: '',
    queue: '',
    priority: undefined,
    labels: {},
    resources: { gpus, gpuModel: '', nodes: 0 },
    timeLimit: undefined,
    priorityClass: '',
    dependencies: [],
    workload: { $case: 'command', command: { argv, env: {}, workingDir: '' } },
  };
}

/** A simulated job spec. */
export function simulatedSpec(gpuSeconds: number, gpus: number, exitCode = 0, seed = 1): JobSpec {
  return {
    ...commandSpec([], gpus),
    workload: { $case: 'simulated', simulated: { gpuSeconds, exitCode, seed } },
  };
}
