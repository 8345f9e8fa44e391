import { type Provider } from '@nestjs/common';
import { type ControlPlaneConfig } from '@gantry/config';
import { createLogger, type Logger } from '@gantry/observability';
import { CONFIG, LOGGER } from './tokens';

export function makeLogger(config: ControlPlaneConfig): Logger {
  return createLogger({
    name: 'control-plane',
    level: config.logLevel,
    base: { replica: config.replicaId },
  });
}

export const loggerProvider: Provider = {
  provide: LOGGER,
  inject: [CONFIG],
  useFactory: makeLogger,
};
