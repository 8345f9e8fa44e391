import { toProtoResult } from '@gantry/grpc';
import {
  LogStream,
  TaskPhase,
  type Duration,
  type NodeInventory,
  type TaskEvent,
  type TaskRef,
  type TaskStatus,
  type WarmEngine as WarmEngineMessage,
} from '@gantry/proto';
import type { GpuInventory, TaskAttemptRef, WarmEngine, WorkerEvent } from '@gantry/workers';
import type { EventAck, OutboxEvent } from '../outbox/outbox';
import type { TaskPhaseName, TaskSnapshot } from '../tasks/task-entry';

/** Between the agent's own types and the protocol's messages, both ways. */

const PHASE: Record<TaskPhaseName, TaskPhase> = {
  starting: TaskPhase.TASK_PHASE_STARTING,
  running: TaskPhase.TASK_PHASE_RUNNING,
  stopping: TaskPhase.TASK_PHASE_STOPPING,
  exited: TaskPhase.TASK_PHASE_EXITED,
};

export function toTaskRef(ref: TaskAttemptRef): TaskRef {
  return { taskId: ref.taskId, jobId: ref.jobId, attempt: ref.attempt, rank: ref.rank ?? 0 };
}

export function fromTaskRef(ref: TaskRef | undefined): TaskAttemptRef {
  return {
    taskId: ref?.taskId ?? '',
    jobId: ref?.jobId ?? '',
    attempt: ref?.attempt ?? 0,
    rank: ref?.rank ?? 0,
  };
}

export function toTaskStatus(snapshot: TaskSnapshot): TaskStatus {
  return {
    task: toTaskRef(snapshot.ref),
    phase: PHASE[snapshot.phase],
    gpuIndices: [...snapshot.gpuIndices],
  };
}

function payload(event: WorkerEvent): TaskEvent['payload'] {
  switch (event.type) {
    case 'started':
      return { $case: 'started', started: { backend: event.backend, pid: event.pid } };
    case 'progress':
      return {
        $case: 'progress',
        progress: { fraction: event.fraction, message: event.message },
      };
    case 'checkpoint':
      return { $case: 'checkpoint', checkpoint: { message: event.message } };
    case 'log': {
      const stream =
        event.stream === 'stderr' ? LogStream.LOG_STREAM_STDERR : LogStream.LOG_STREAM_STDOUT;
      return { $case: 'log', log: { stream, lines: [...event.lines], rank: 0 } };
    }
    case 'result':
      return { $case: 'result', result: { result: toProtoResult(event.result) } };
    case 'exited': {
      const { exitCode, signal, reason, message } = event;
      return { $case: 'exited', exited: { exitCode, signal, reason, message } };
    }
  }
}

export function toTaskEvent(event: OutboxEvent): TaskEvent {
  return {
    task: toTaskRef(event.ref),
    sequence: event.sequence,
    time: new Date(event.time),
    payload: payload(event.event),
  };
}

export function fromAcks(
  acks: readonly { task?: TaskRef; sequence: number; accepted: boolean; message: string }[],
): EventAck[] {
  return acks.map((ack) => ({
    ref: fromTaskRef(ack.task),
    sequence: ack.sequence,
    accepted: ack.accepted,
    message: ack.message,
  }));
}

/** What the host has besides GPUs, read once at start-up. */
export interface HostFacts {
  readonly hostname: string;
  readonly cpuCount: number;
  readonly memoryBytes: number;
}

export function toNodeInventory(gpus: GpuInventory, host: HostFacts): NodeInventory {
  return {
    gpus: gpus.gpus.map((g) => ({
      index: g.index,
      uuid: g.uuid,
      name: g.name,
      model: g.model ?? '',
      memoryBytes: g.memoryBytes,
    })),
    simulated: gpus.simulated,
    hostname: host.hostname,
    cpuCount: host.cpuCount,
    memoryBytes: host.memoryBytes,
    warmEngines: [],
  };
}

/**
 * The engines a heartbeat reports (NodeInventory.warm_engines): starting and ready ones, busy
 * while a task holds or awaits them; engines on their way out are left out.
 */
export function toWarmEngines(engines: readonly WarmEngine[]): WarmEngineMessage[] {
  return engines
    .filter((e) => e.state !== 'stopping')
    .map((e) => ({
      model: e.model,
      revision: e.revision,
      engine: e.preset,
      gpuIndices: [...e.gpuIndices],
      busy: e.state === 'starting' || e.leases > 0,
    }));
}

/** A protobuf Duration in milliseconds; undefined when absent or not positive. */
export function durationMs(duration: Duration | undefined): number | undefined {
  if (!duration) return undefined;
  const ms = duration.seconds * 1000 + duration.nanos / 1e6;
  return ms > 0 ? ms : undefined;
}
