import { type CliConfig } from '@gantry/config';
import { type GantryApi } from './connection/grpc-api';

/** Where a command writes. Tests pass buffers; `isTTY` picks live views over plain lines. */
export interface OutputStream {
  /** Returns false when the caller should wait for 'drain' (a Node.js stream's backpressure). */
  write(text: string | Uint8Array): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  once?(event: 'drain', listener: () => void): unknown;
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
  /** What `gantry submit -f -` reads. */
  readonly stdin: AsyncIterable<string | Uint8Array>;
  /** The working directory: `-f -` resolves local files against it. */
  readonly cwd: string;
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

/** Everything a stream gives, as UTF-8 text (`-f -`). */
export async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream)
    parts.push(typeof part === 'string' ? Buffer.from(part) : Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

/** Writes bytes, waiting for 'drain' when the stream asks for it (a pipe to a slow reader). */
export async function writeBytes(stream: OutputStream, bytes: Uint8Array): Promise<void> {
  if (stream.write(bytes) === false && stream.once)
    await new Promise<void>((resolve) => stream.once!('drain', resolve));
}

export function writeJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
