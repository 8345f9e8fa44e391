/**
 * What `lease watch` shows, folded from the lease's events (WatchLease): its state, the end of a
 * notice, what was charged and credited, the last event lines. Pure.
 */
import { type Lease, type LeaseEvent } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { formatMoney } from '../market/dollars';
import { leaseStateName } from '../market/names';
import { formatTime } from '../market/time-input';
import { formatDuration } from '../spec/duration';

/** The events that say how a lease ended (an `ended` event follows them). */
export const END_REASONS = ['released', 'expired', 'reclaimed', 'unfunded', 'failed'] as const;

export interface LeaseWatchView {
  readonly leaseId: string;
  /** pending, active, notice or ended. */
  readonly state: string;
  /** released, expired, reclaimed, unfunded or failed; '' until known. */
  readonly endReason: string;
  /** While in notice: when the GPUs are taken back. */
  readonly noticeEnd?: Date;
  /** Sums of the charged and credited events seen. */
  readonly charged: number;
  readonly credited: number;
  /** The last few events as lines, oldest first. */
  readonly lastLines: readonly string[];
}

export function initialLeaseView(leaseId: string, lease?: Lease): LeaseWatchView {
  return {
    leaseId,
    state: lease ? leaseStateName(lease.state) : 'pending',
    endReason: lease?.endReason ?? '',
    noticeEnd: lease?.noticeEndTime,
    charged: 0,
    credited: 0,
    lastLines: [],
  };
}

/** `(in 2m)`: how long from the event to the end of its notice. */
function noticeDetail(event: LeaseEvent): string {
  if (!event.noticeEndTime) return '';
  const left = (event.noticeEndTime.getTime() - (event.time?.getTime() ?? 0)) / 1000;
  const when = event.time ? ` (in ${formatDuration(left)})` : '';
  return `GPUs taken back at ${formatTime(event.noticeEndTime)}${when}`;
}

/** The event as one line: `12:00:05 notice    GPUs taken back at ... : message`. */
export function leaseEventLine(event: LeaseEvent): string {
  const clock = event.time ? event.time.toISOString().slice(11, 19) : '--:--:--';
  const detail =
    event.type === 'notice'
      ? noticeDetail(event)
      : event.type === 'charged' || event.type === 'credited'
        ? formatMoney(event.amountMicros)
        : '';
  const text = [detail, event.message].filter(Boolean).join(': ');
  return `${clock} ${event.type.padEnd(9)} ${text}`.trimEnd();
}

export function applyLeaseEvent(
  view: LeaseWatchView,
  event: LeaseEvent,
  keepLines = 6,
): LeaseWatchView {
  const lastLines = [...view.lastLines, leaseEventLine(event)].slice(-keepLines);
  const next = { ...view, lastLines };
  switch (event.type) {
    case 'created':
      return { ...next, state: 'pending' };
    case 'started':
      return { ...next, state: 'active' };
    case 'notice':
      return { ...next, state: 'notice', noticeEnd: event.noticeEndTime };
    case 'ended':
      return { ...next, state: 'ended', noticeEnd: undefined };
    case 'charged':
      return { ...next, charged: view.charged + event.amountMicros };
    case 'credited':
      return { ...next, credited: view.credited + event.amountMicros };
    default:
      if ((END_REASONS as readonly string[]).includes(event.type))
        return { ...next, state: 'ended', endReason: event.type, noticeEnd: undefined };
      return next;
  }
}

/**
 * The exit code of a watched lease: 0 when it ended as planned (released, expired), 13 when it
 * was reclaimed, 14 when it ran out of money or failed.
 */
export function leaseExitCode(endReason: string): number {
  if (endReason === 'reclaimed') return ExitCode.LeaseReclaimed;
  if (endReason === 'unfunded' || endReason === 'failed') return ExitCode.LeaseFailed;
  return ExitCode.Ok;
}

/** `reclaim in 1m45s (at 12:02:05Z)`, or '' outside a notice. */
export function countdown(view: LeaseWatchView, now: number): string {
  if (view.state !== 'notice' || !view.noticeEnd) return '';
  const left = Math.max(0, Math.ceil((view.noticeEnd.getTime() - now) / 1000));
  return `reclaim in ${formatDuration(left)} (at ${formatTime(view.noticeEnd)}): save your work`;
}
