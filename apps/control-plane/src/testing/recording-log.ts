import { createLogger, type Logger } from '@gantry/observability';

/** One JSON log line as pino wrote it. */
export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A real pino logger whose lines are kept in memory, so tests can look at what was logged. */
export class RecordingLog {
  readonly lines: LogLine[] = [];
  readonly logger: Logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (line: string) => this.lines.push(JSON.parse(line) as LogLine) },
  });

  /** The lines with this message. */
  withMessage(msg: string): LogLine[] {
    return this.lines.filter((line) => line.msg === msg);
  }
}
