import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors/cli-errors';

/**
 * The local context: which control plane the CLI talks to and with which key. `gantry up`
 * writes it; every other command reads it when no flag or variable says otherwise. It holds an
 * admin key, so it is written with mode 0600 (and its folder 0700).
 */
export interface ClusterContext {
  /** host:port of the control plane's gRPC API. */
  readonly endpoint: string;
  readonly apiKey: string;
  /** Base URL of /healthz, /readyz and /metrics. */
  readonly httpUrl?: string;
  /** The data directory of the `gantry up` that wrote it. */
  readonly dataDir?: string;
}

export function contextPath(home: string): string {
  return join(home, 'context.json');
}

function isContext(value: unknown): value is ClusterContext {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['endpoint'] === 'string' && typeof record['apiKey'] === 'string';
}

/** The context at `path`, or undefined when there is none. A damaged file is a usage error. */
export async function readContext(path: string): Promise<ClusterContext | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isContext(parsed))
    throw new UsageError(
      `${path} is not a valid context (expected {"endpoint", "apiKey"}); delete it or run \`gantry up\``,
    );
  return parsed;
}

/** Writes the context atomically (temporary file, then rename) with mode 0600. */
export async function writeContext(path: string, context: ClusterContext): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(context, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
