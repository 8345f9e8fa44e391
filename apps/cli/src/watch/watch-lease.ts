/**
 * Follows a lease to its end (`lease watch`, `lease create --watch`) and returns the exit code
 * of how it ended. While a notice runs on a terminal, the view is redrawn each second so the
 * countdown to the reclaim moves even when no event comes.
 */
import { type Lease } from '@gantry/proto';
import { type CliEnvironment, type OutputFormat } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { ControlPlaneUnreachableError, transportDetail } from '../errors/cli-errors';
import { followStream } from './follow-stream';
import {
  jsonLeaseRenderer,
  liveLeaseRenderer,
  plainLeaseRenderer,
  type LeaseRenderer,
} from './lease-renderers';
import { applyLeaseEvent, initialLeaseView, leaseExitCode } from './lease-view-state';

export function leaseRendererFor(
  env: CliEnvironment,
  output: OutputFormat,
  header?: string,
): LeaseRenderer {
  if (output === 'json') return jsonLeaseRenderer(env.stdout, env.stderr);
  if (env.stdout.isTTY) return liveLeaseRenderer(env.stdout, () => env.now(), header);
  return plainLeaseRenderer(env.stdout, env.stderr);
}

const TICK = 'tick' as const;

/** Why a stream dropped, short: `connection reset`, not the whole unreachable-server advice. */
function streamFailure(error: unknown): string {
  const cause = error instanceof ControlPlaneUnreachableError ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return transportDetail(message.replace(/^UNAVAILABLE: /, ''));
}

export async function watchLeaseToEnd(
  env: CliEnvironment,
  api: Pick<GantryApi, 'watchLease' | 'getLease' | 'endpoint'>,
  leaseId: string,
  fromSequence: number,
  renderer: LeaseRenderer,
  lease?: Lease,
): Promise<number> {
  let view = initialLeaseView(leaseId, lease);
  const events = followStream(
    {
      open: (from) => api.watchLease(leaseId, from),
      isFinal: (event) => event.type === 'ended',
      what: 'the lease',
    },
    {
      fromSequence,
      sleep: (ms) => env.sleep(ms),
      onRetry: (error, delayMs, next) =>
        renderer.retry(
          `lost the stream from ${api.endpoint} (${streamFailure(error)}); ` +
            `resuming from event ${next} in ${(delayMs / 1000).toFixed(1)}s`,
        ),
    },
  )[Symbol.asyncIterator]();
  let pending = events.next();
  // A sleep that returns with the clock unmoved (a test's fake) would spin: stop ticking then.
  let clockMoves = true;
  for (;;) {
    const end = view.noticeEnd?.getTime() ?? 0;
    const counting = renderer.ticks && clockMoves && view.state === 'notice' && end > env.now();
    const before = env.now();
    // Sleep until the countdown's seconds change: the rest of the current second.
    const result = counting
      ? await Promise.race([
          pending,
          env.sleep((end - before) % 1000 || 1000).then((): typeof TICK => TICK),
        ])
      : await pending;
    if (result === TICK) {
      clockMoves = env.now() !== before;
      renderer.tick(view);
      continue;
    }
    if (result.done) break;
    pending = events.next();
    clockMoves = true;
    view = applyLeaseEvent(view, result.value);
    renderer.event(result.value, view);
  }
  // Watched from a later sequence, the event saying how it ended may not have been seen.
  if (!view.endReason) view = { ...view, endReason: (await api.getLease(leaseId)).endReason };
  renderer.finish(view);
  return leaseExitCode(view.endReason);
}
