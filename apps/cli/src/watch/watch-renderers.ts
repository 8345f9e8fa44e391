import { JobEvent, LogStream } from '@gantry/proto';
import { type OutputStream } from '../cli-environment';
import { jobStateName } from '../format/states';
import { type WatchView } from './job-view-state';
import { LiveArea, progressBar } from './live-area';

/** Shows a followed job: one implementation per kind of output. */
export interface WatchRenderer {
  event(event: JobEvent, view: WatchView): void;
  /** The connection dropped; it resumes after `delayMs`. */
  retry(message: string): void;
  finish(view: WatchView): void;
}

function clock(time: Date | undefined): string {
  return time ? time.toISOString().slice(11, 19) : '--:--:--';
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

function stateText(view: Pick<WatchView, 'state' | 'reason' | 'message' | 'exitCode'>): string {
  const why = [view.reason, view.message].filter(Boolean).join(': ');
  const code = view.exitCode;
  // The message usually says it already ("exited with code 3"); a negative code means a signal.
  const exit =
    code !== undefined && code >= 0 && !why.includes(`code ${code}`) ? ` exit code ${code}` : '';
  return `${jobStateName(view.state)}${why ? ` (${why})` : ''}${exit}`;
}

/** One line per event (UTC times): for pipes, files and CI logs. */
export function plainRenderer(out: OutputStream, err: OutputStream): WatchRenderer {
  return {
    event(event) {
      const at = clock(event.time);
      const p = event.payload;
      if (p?.$case === 'stateChange') {
        const s = p.stateChange;
        const text = stateText({ ...s, state: s.to });
        out.write(`${at} state     ${text}${event.attempt ? ` [attempt ${event.attempt}]` : ''}\n`);
      } else if (p?.$case === 'progress') {
        out.write(
          `${at} progress  ${percent(p.progress.fraction)} ${p.progress.message}`.trimEnd() + '\n',
        );
      } else if (p?.$case === 'log') {
        const name = p.log.stream === LogStream.LOG_STREAM_STDERR ? 'stderr' : 'stdout';
        const rank = p.log.rank > 0 ? `[rank ${p.log.rank}] ` : '';
        for (const line of p.log.lines) out.write(`${at} ${name}    ${rank}${line}\n`);
      } else if (p?.$case === 'checkpoint') {
        out.write(`${at} checkpoint ${p.checkpoint.message}`.trimEnd() + '\n');
      } else if (p?.$case === 'notice') {
        const text = [p.notice.reason, p.notice.message].filter(Boolean).join(': ');
        out.write(`${at} notice    ${text}${event.attempt ? ` [attempt ${event.attempt}]` : ''}\n`);
      }
    },
    retry(message) {
      err.write(`gantry: ${message}\n`);
    },
    finish() {},
  };
}

/** NDJSON: each event as protobuf JSON on its own line, for scripts (`-o json`). */
export function jsonRenderer(out: OutputStream, err: OutputStream): WatchRenderer {
  return {
    event(event) {
      out.write(`${JSON.stringify(JobEvent.toJSON(event))}\n`);
    },
    retry(message) {
      err.write(`gantry: ${message}\n`);
    },
    finish() {},
  };
}

/**
 * A live block on a terminal: state, a progress bar, the last log lines, the last checkpoint,
 * and a notice (such as a coming preemption) until the next state change.
 */
export function liveRenderer(out: OutputStream, now: () => number): WatchRenderer {
  const area = new LiveArea(out, now);
  let notice = '';
  const lines = (view: WatchView) => [
    `${view.jobId}  ${stateText(view)}${view.attempt > 1 ? `  attempt ${view.attempt}` : ''}`,
    `${progressBar(view.progress)} ${percent(view.progress).padStart(4)}  ${view.progressMessage}`.trimEnd(),
    ...view.lastLines.map((line) => `  │ ${line}`),
    ...(view.lastCheckpoint ? [`checkpoint ${view.lastCheckpoint}`] : []),
    ...(view.notice ? [`notice: ${view.notice}`] : []),
    ...(notice ? [notice] : []),
  ];
  return {
    event(event, view) {
      notice = '';
      const $case = event.payload?.$case;
      area.render(lines(view), $case === 'stateChange' || $case === 'notice');
    },
    retry(message) {
      notice = `(${message})`;
    },
    finish(view) {
      notice = '';
      area.render(lines(view), true);
    },
  };
}
