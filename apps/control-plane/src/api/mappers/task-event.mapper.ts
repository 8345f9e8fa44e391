import type * as pb from '@gantry/proto';
import { LogStream } from '@gantry/proto';
import { ValidationError, type TaskReport } from '@gantry/domain';
import { fromProtoResult } from '@gantry/grpc';
import type { ReportedEvent } from '@gantry/store';

const MAX_EVENTS = 10_000;

/** Validates an agent's batch of task events and turns them into domain reports. */
export function fromProtoTaskEvents(events: readonly pb.TaskEvent[]): ReportedEvent[] {
  if (events.length > MAX_EVENTS)
    throw ValidationError.field('events', `must have at most ${MAX_EVENTS} entries`);
  return events.map((event, i) => {
    const field = `events[${i}]`;
    if (!event.task?.jobId) throw ValidationError.field(`${field}.task.job_id`, 'is required');
    if (event.task.attempt < 1)
      throw ValidationError.field(`${field}.task.attempt`, 'must be at least 1');
    if (event.sequence < 1) throw ValidationError.field(`${field}.sequence`, 'must be at least 1');
    if (!(event.task.rank >= 0))
      throw ValidationError.field(`${field}.task.rank`, 'must be at least 0');
    return {
      jobId: event.task.jobId,
      attempt: event.task.attempt,
      rank: event.task.rank,
      sequence: event.sequence,
      report: toReport(event, field),
    };
  });
}

function toReport(event: pb.TaskEvent, field: string): TaskReport {
  const payload = event.payload;
  switch (payload?.$case) {
    case 'started':
      return { type: 'started', backend: payload.started.backend || 'unknown' };
    case 'progress': {
      const fraction = payload.progress.fraction;
      if (!(fraction >= 0 && fraction <= 1))
        throw ValidationError.field(`${field}.progress.fraction`, 'must be 0-1');
      return { type: 'progress', fraction, message: payload.progress.message };
    }
    case 'log':
      return {
        type: 'log',
        stream: payload.log.stream === LogStream.LOG_STREAM_STDERR ? 'stderr' : 'stdout',
        lines: payload.log.lines,
      };
    case 'checkpoint':
      return { type: 'checkpoint', message: payload.checkpoint.message.slice(0, 1024) };
    case 'result': {
      const result = fromProtoResult(payload.result.result);
      if (result?.kind !== 'reasoning')
        throw ValidationError.field(`${field}.result.result`, 'must be a reasoning result');
      return { type: 'result', result };
    }
    case 'exited':
      return {
        type: 'exited',
        exitCode: payload.exited.exitCode,
        signal: payload.exited.signal,
        reason: payload.exited.reason,
        message: payload.exited.message,
      };
    default:
      throw ValidationError.field(
        `${field}.payload`,
        'one of started, progress, log, checkpoint, result, exited is required',
      );
  }
}
