import { status } from '@grpc/grpc-js';
import { type CallObserver, isClientFault } from '@gantry/grpc';
import { type Logger } from '@gantry/observability';
import { type ControlPlaneMetrics } from '../infrastructure/metrics.service';

/** Counts and times every call; logs server faults at error, client faults at debug. */
export function callObserver(metrics: ControlPlaneMetrics, logger: Logger): CallObserver {
  return {
    finished(method, code, seconds, error) {
      metrics.grpcRequests.inc({ method, code: status[code] ?? String(code) });
      metrics.grpcDuration.observe({ method }, seconds);
      if (error === undefined) return;
      if (isClientFault(error))
        logger.debug({ method, code: status[code], err: error }, 'call rejected');
      else logger.error({ method, code: status[code], err: error }, 'call failed');
    },
  };
}
