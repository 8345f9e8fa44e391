import { timingSafeEqual, createHash } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedError } from '@gantry/domain';
import { bearerToken, unary, type CallObserver } from '@gantry/grpc';
import type {
  CancelTaskRequest,
  CancelTaskResponse,
  DescribeNodeResponse,
  NodeAgentServiceServer,
  RunTaskRequest,
  RunTaskResponse,
} from '@gantry/proto';
import type { Credentials } from '../control-plane/session';
import { toTaskStatus } from '../protocol/mapping';
import type { TaskSupervisor } from '../tasks/task-supervisor';
import { parseCancelTask } from './cancel-task-request';
import { parseRunTask } from './run-task-request';

/** What the handlers need besides the supervisor; defined here, where it is used. */
export interface NodeAgentServiceDeps {
  readonly supervisor: Pick<TaskSupervisor, 'run' | 'cancel' | 'snapshots'>;
  /** The credentials from the last Register; null before the first. */
  readonly credentials: () => Credentials | null;
  readonly gpuModels: ReadonlyMap<number, string | null>;
  readonly describe: () => Omit<DescribeNodeResponse, 'tasks' | 'nodeId'>;
  readonly observer?: CallObserver;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Every call must carry `authorization: Bearer <node token>`, the token Register returned. */
function authorize(metadata: Metadata, credentials: Credentials | null): Credentials {
  const presented = bearerToken(metadata);
  if (!credentials)
    throw new UnauthenticatedError('this agent has not registered with the control plane yet');
  if (!timingSafeEqual(digest(presented), digest(credentials.token)))
    throw new UnauthenticatedError('the token is not the node token of this agent');
  return credentials;
}

/** The NodeAgentService handlers. */
export function nodeAgentService(deps: NodeAgentServiceDeps): NodeAgentServiceServer {
  const { supervisor, observer } = deps;
  return {
    /**
     * RunTask. Reads: the bearer token, the task table, this node's GPUs. Writes: a new task
     * attempt (starts its process or simulation; a running older attempt of the same task is
     * stopped first). Emits: the attempt's task events (started, log, progress, checkpoint,
     * exited) into the outbox. Idempotent by (task_id, attempt): a repeat answers created=false.
     */
    runTask: unary(
      'RunTask',
      async (request: RunTaskRequest, call): Promise<RunTaskResponse> => {
        authorize(call.metadata, deps.credentials());
        const command = parseRunTask(request, deps.gpuModels);
        const { status, created } = await supervisor.run(command);
        return { status: toTaskStatus(status), created };
      },
      observer,
    ),
    /**
     * CancelTask. Reads: the bearer token, the task table. Writes: starts stopping the attempt
     * (SIGTERM to its process group, SIGKILL after grace_period, default
     * GANTRY_KILL_GRACE_SECONDS); answers without waiting for the exit. For reason Preempted,
     * first a line `[gantry] preempted: stopping (grace <n>s)` to the task's log (stderr).
     * Emits: the attempt's `exited` event once it has stopped, with reason Preempted or
     * Cancelled (any other reason). Unknown task or attempt: NOT_FOUND; attempt 0 means the
     * current one.
     */
    cancelTask: unary(
      'CancelTask',
      async (request: CancelTaskRequest, call): Promise<CancelTaskResponse> => {
        authorize(call.metadata, deps.credentials());
        const { ref, graceMs, message, reason } = parseCancelTask(request);
        const status = supervisor.cancel(ref, { graceMs, message, reason });
        return { status: toTaskStatus(status) };
      },
      observer,
    ),
    /**
     * DescribeNode. Reads: the bearer token, the inventory, the task table, the agent's
     * identity. Writes: nothing. Emits: nothing.
     */
    describeNode: unary(
      'DescribeNode',
      async (_request, call): Promise<DescribeNodeResponse> => {
        const credentials = authorize(call.metadata, deps.credentials());
        return {
          ...deps.describe(),
          nodeId: credentials.nodeId,
          tasks: supervisor.snapshots().map(toTaskStatus),
        };
      },
      observer,
    ),
  };
}
