/**
 * Shows a followed lease: plain lines for pipes and logs, protobuf-JSON lines for scripts, and
 * on a terminal a live block whose notice counts down to the reclaim each second.
 */
import { LeaseEvent } from '@gantry/proto';
import { type OutputStream } from '../cli-environment';
import { formatMoney } from '../market/dollars';
import { countdown, leaseEventLine, type LeaseWatchView } from './lease-view-state';
import { LiveArea } from './live-area';

export interface LeaseRenderer {
  event(event: LeaseEvent, view: LeaseWatchView): void;
  /** The connection dropped; it resumes after a wait. */
  retry(message: string): void;
  /** Whether it wants `tick` every second of a notice (a countdown on a terminal). */
  readonly ticks: boolean;
  tick(view: LeaseWatchView): void;
  finish(view: LeaseWatchView): void;
}

export function plainLeaseRenderer(out: OutputStream, err: OutputStream): LeaseRenderer {
  return {
    event: (event) => void out.write(`${leaseEventLine(event)}\n`),
    retry: (message) => void err.write(`gantry: ${message}\n`),
    ticks: false,
    tick: () => {},
    finish: () => {},
  };
}

export function jsonLeaseRenderer(out: OutputStream, err: OutputStream): LeaseRenderer {
  return {
    event: (event) => void out.write(`${JSON.stringify(LeaseEvent.toJSON(event))}\n`),
    retry: (message) => void err.write(`gantry: ${message}\n`),
    ticks: false,
    tick: () => {},
    finish: () => {},
  };
}

/** `header` names the lease (`interruptible, 8xH100-80GB, bid $1.20/GPU-h`) when known. */
export function liveLeaseRenderer(
  out: OutputStream,
  now: () => number,
  header = '',
): LeaseRenderer {
  const area = new LiveArea(out, now, 0);
  let note = '';
  const lines = (view: LeaseWatchView) => {
    const state = view.endReason ? `${view.state} (${view.endReason})` : view.state;
    const notice = countdown(view, now());
    return [
      `${view.leaseId}  ${state}${header ? `  ${header}` : ''}`,
      ...(notice ? [`! ${notice}`] : []),
      `charged ${formatMoney(view.charged)}, credited ${formatMoney(view.credited)}`,
      ...view.lastLines.map((line) => `  │ ${line}`),
      ...(note ? [note] : []),
    ];
  };
  return {
    event(_event, view) {
      note = '';
      area.render(lines(view), true);
    },
    retry(message) {
      note = `(${message})`;
    },
    ticks: true,
    tick: (view) => area.render(lines(view), true),
    finish(view) {
      note = '';
      area.render(lines(view), true);
    },
  };
}
