import type * as pb from '@gantry/proto';
import { LogStream } from '@gantry/proto';
import type { JobEvent } from '@gantry/domain';
import type { JobView } from '@gantry/store';
import { toProtoResult, toProtoSpec } from '@gantry/grpc';
import { toProtoAttemptState, toProtoJobState } from './state.mapper';

const date = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

export function toProtoJob(job: JobView): pb.Job {
  return {
    id: job.id,
    tenant: job.tenantName,
    spec: toProtoSpec(job.spec),
    state: toProtoJobState(job.state),
    reason: job.reason,
    message: job.message,
    attempt: job.attempt,
    attempts: job.attempts.map((a) => ({
      number: a.number,
      rank: a.rank,
      nodeId: a.nodeId,
      nodeName: a.nodeName,
      gpuIndices: [...a.gpuIndices],
      state: toProtoAttemptState(a.state),
      createTime: date(a.createdAt),
      startTime: date(a.startedAt),
      endTime: date(a.endedAt),
      exitCode: a.exitCode ?? undefined,
      message: a.message,
    })),
    idempotencyKey: job.idempotencyKey ?? '',
    submitTime: date(job.submittedAt),
    startTime: date(job.startedAt),
    endTime: date(job.endedAt),
    exitCode: job.exitCode ?? undefined,
    progress: job.progress,
    priorityClass: job.spec.priorityClass,
    arrayId: job.arrayId ?? '',
    arrayIndex: job.arrayIndex ?? undefined,
    lastCheckpointTime: date(job.lastCheckpointAt),
    preemptions: job.preemptions,
    result: toProtoResult(job.result),
    parentJobId: job.parentJobId ?? '',
  };
}

export function toProtoEvent(event: JobEvent): pb.JobEvent {
  const base = { sequence: event.sequence, time: new Date(event.time), attempt: event.attempt };
  switch (event.type) {
    case 'state_change':
      return {
        ...base,
        payload: {
          $case: 'stateChange',
          stateChange: {
            from: toProtoJobState(event.from),
            to: toProtoJobState(event.to),
            reason: event.reason,
            message: event.message,
            exitCode: event.exitCode ?? undefined,
          },
        },
      };
    case 'progress':
      return {
        ...base,
        payload: {
          $case: 'progress',
          progress: { fraction: event.fraction, message: event.message },
        },
      };
    case 'log':
      return {
        ...base,
        payload: {
          $case: 'log',
          log: {
            stream:
              event.stream === 'stderr' ? LogStream.LOG_STREAM_STDERR : LogStream.LOG_STREAM_STDOUT,
            lines: [...event.lines],
            rank: event.rank ?? 0,
          },
        },
      };
    case 'checkpoint':
      return { ...base, payload: { $case: 'checkpoint', checkpoint: { message: event.message } } };
    case 'notice':
      return {
        ...base,
        payload: { $case: 'notice', notice: { reason: event.reason, message: event.message } },
      };
  }
}
