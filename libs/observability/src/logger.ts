import pino, { type Logger as PinoLogger, type DestinationStream } from 'pino';

/** Structured JSON logs: one object per line, `msg` plus fields, never string interpolation. */
export type Logger = PinoLogger;

export interface LoggerOptions {
  /** The process or component, e.g. `control-plane`. */
  readonly name: string;
  readonly level: string;
  /** Fields on every line, e.g. `{ replica: 'cp-1' }`. */
  readonly base?: Record<string, unknown>;
  /** Where lines go; stdout by default. */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level,
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    options.destination,
  );
}

/** A logger that writes nothing, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
