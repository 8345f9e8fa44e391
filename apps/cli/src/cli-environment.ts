import { type CliConfig } from '@gantry/config';
import { type GantryApi } from './connection/grpc-api';

/** Where a command writes. Tests pass buffers; `isTTY` picks live views over plain lines. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export type OutputFormat = 'table' | 'json' | 'wide';

/** The flags every command takes. */
export interface GlobalOptions {
  readonly endpoint?: string;
  readonly apiKey?: string;
  readonly output: OutputFormat;
}

/** What commands get from the outside world; main.ts wires the real one, tests fakes. */
export interface CliEnvironment {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly config: CliConfig;
  /** The API at the endpoint and with the key that flags, environment and context resolve to. */
  connect(globals: GlobalOptions): Promise<GantryApi>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Writes text, adding the final newline when it is missing. */
export function writeLine(stream: OutputStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function writeJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
