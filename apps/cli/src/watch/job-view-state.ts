import { JobState, LogStream, type JobEvent } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';

/** What `watch` shows, folded from the job's events. */
export interface WatchView {
  readonly jobId: string;
  readonly state: JobState;
  readonly reason: string;
  readonly message: string;
  readonly attempt: number;
  readonly progress: number;
  readonly progressMessage: string;
  /** The last few log lines, oldest first. */
  readonly lastLines: readonly string[];
  /** The last checkpoint: `HH:MM:SS message` (UTC); '' before the first. */
  readonly lastCheckpoint: string;
  /** A notice not yet followed by a state change, e.g. `Preempted: ...`; '' when none. */
  readonly notice: string;
  readonly exitCode?: number;
  readonly lastSequence: number;
}

export function initialView(jobId: string): WatchView {
  return {
    jobId,
    state: JobState.JOB_STATE_UNSPECIFIED,
    reason: '',
    message: '',
    attempt: 0,
    progress: 0,
    progressMessage: '',
    lastLines: [],
    lastCheckpoint: '',
    notice: '',
    lastSequence: 0,
  };
}

export function applyEvent(view: WatchView, event: JobEvent, keepLines = 5): WatchView {
  const base = {
    ...view,
    lastSequence: Math.max(view.lastSequence, event.sequence),
    attempt: Math.max(view.attempt, event.attempt),
  };
  const payload = event.payload;
  switch (payload?.$case) {
    case 'stateChange': {
      const change = payload.stateChange;
      const newAttempt = change.to === JobState.JOB_STATE_RUNNING && event.attempt > view.attempt;
      return {
        ...base,
        state: change.to,
        reason: change.reason,
        message: change.message,
        exitCode: change.exitCode ?? view.exitCode,
        notice: '',
        ...(newAttempt ? { progress: 0, progressMessage: '' } : {}),
      };
    }
    case 'progress':
      return {
        ...base,
        progress: Math.min(1, Math.max(0, payload.progress.fraction)),
        progressMessage: payload.progress.message,
      };
    case 'log': {
      const stream = payload.log.stream === LogStream.LOG_STREAM_STDERR ? '! ' : '';
      const prefix = payload.log.rank > 0 ? `${stream}[rank ${payload.log.rank}] ` : stream;
      const lines = [...view.lastLines, ...payload.log.lines.map((l) => prefix + l)];
      return { ...base, lastLines: lines.slice(-keepLines) };
    }
    case 'checkpoint': {
      const at = event.time ? event.time.toISOString().slice(11, 19) : '--:--:--';
      return { ...base, lastCheckpoint: `${at} ${payload.checkpoint.message}`.trimEnd() };
    }
    case 'notice': {
      const { reason, message } = payload.notice;
      return { ...base, notice: [reason, message].filter(Boolean).join(': ') };
    }
    default:
      return base;
  }
}

/** `watch` and `submit --wait` exit with 0, 10 or 11 by how the job ended. */
export function outcomeExitCode(state: JobState): number {
  if (state === JobState.JOB_STATE_SUCCEEDED) return ExitCode.Ok;
  if (state === JobState.JOB_STATE_CANCELLED) return ExitCode.JobCancelled;
  return ExitCode.JobFailed;
}
