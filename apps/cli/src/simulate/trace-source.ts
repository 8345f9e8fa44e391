/**
 * Where `gantry simulate` reads its inputs: a trace by name (`philly`, `itp/cluster04`) from the
 * traces folder, or a CSV path; a cluster as a spec (`16x8xV100`) or a JSON file. The traces
 * folder is --traces-dir, else GANTRY_TRACES_DIR, else `../shared/traces` beside the
 * repository (found by walking up from this file to the folder holding nx.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  clusterSpecFromJson,
  parseClusterSpec,
  parseTrace,
  type ClusterSpec,
  type TraceFormat,
  type TraceJob,
} from '@gantry/scheduling';
import { UsageError } from '../errors/cli-errors';

export function repositoryRoot(from = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

export function resolveTracesDir(flag: string | null, fromEnvironment: string | undefined): string {
  if (flag) return path.resolve(flag);
  if (fromEnvironment) return path.resolve(fromEnvironment);
  const root = repositoryRoot();
  if (!root)
    throw new UsageError(
      'cannot find the traces folder: pass --traces-dir or set GANTRY_TRACES_DIR',
    );
  return path.resolve(root, '..', 'shared', 'traces');
}

export interface TraceFile {
  /** As the report names it: `philly`, `itp/cluster04`, or the file's name. */
  readonly name: string;
  readonly path: string;
  readonly format: TraceFormat | undefined;
}

const ITP = /^itp\/(cluster\d{2})$/;

export function locateTrace(trace: string, tracesDir: string): TraceFile {
  if (trace === 'philly')
    return { name: 'philly', path: path.join(tracesDir, 'philly', 'jobs.csv'), format: 'philly' };
  const itp = ITP.exec(trace);
  if (itp)
    return { name: trace, path: path.join(tracesDir, 'itp', `${itp[1]}.csv`), format: 'itp' };
  if (trace.endsWith('.csv'))
    return { name: path.basename(trace), path: path.resolve(trace), format: undefined };
  throw new UsageError(
    `--trace: '${trace}' is not philly, itp/clusterNN (01-10) or a path to a .csv file`,
  );
}

export function readTrace(file: TraceFile): TraceJob[] {
  let text: string;
  try {
    text = readFileSync(file.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT'
        ? `--trace: ${file.path} does not exist (set --traces-dir or GANTRY_TRACES_DIR to the folder holding philly/ and itp/)`
        : `--trace: cannot read ${file.path} (${code ?? String(error)})`,
    );
  }
  return parseTrace(text, file.name, file.format);
}

/** A spec like `16x8xV100`, or a path to a JSON cluster file. */
export function readCluster(cluster: string): ClusterSpec {
  try {
    if (!cluster.endsWith('.json')) return parseClusterSpec(cluster);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(cluster, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `--cluster: cannot read ${cluster} as JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    return clusterSpecFromJson(json, cluster);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--cluster: ${error instanceof Error ? error.message : String(error)}`);
  }
}
