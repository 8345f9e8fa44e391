import { status } from '@grpc/grpc-js';
import { isClientFault, type CallObserver } from '@gantry/grpc';
import type { Logger } from '@gantry/observability';

/** Logs every call the agent serves: at debug when fine or the caller's fault, else at error. */
export function callObserver(log: Logger): CallObserver {
  return {
    finished(method, code, seconds, error) {
      const fields = { method, code: status[code], ms: Math.round(seconds * 1000) };
      if (error === undefined) log.debug(fields, 'call served');
      else if (isClientFault(error)) log.debug({ ...fields, err: error }, 'call rejected');
      else log.error({ ...fields, err: error }, 'call failed');
    },
  };
}
