/**
 * Reading and writing a job's JSONL files in the FileStore for the workload controller and the
 * verify workers: whole files as lines, a shard's attempt files (ADR 9 layout), and publishing a
 * produced file (content, then its row: a retried finalization rewrites the same id).
 */
import { completeLines, readLines, type FileStore } from '@gantry/files';
import type { FileRecord, FileRepository } from '@gantry/store';
import { readAttemptLines, type BatchOutputLine } from '@gantry/workloads';

/** Every line of an object (a last line without a newline included); [] when it is missing. */
export async function readAllLines(store: FileStore, key: string): Promise<string[]> {
  if (!(await store.stat(key))) return [];
  const lines: string[] = [];
  for await (const { line } of readLines(store.read(key))) lines.push(line);
  return lines;
}

/** The whole lines of an object being appended to (a torn last line left out). */
export async function readWholeLines(store: FileStore, key: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of completeLines(store.read(key))) lines.push(line);
  return lines;
}

const ATTEMPT_FILE = /attempt-(\d+)\.(out|err)\.jsonl$/;

/**
 * Every attempt's output and error lines of a shard, earlier attempts first (the merge's "first
 * wins" then means the earliest attempt).
 */
export async function shardAttemptLines(
  store: FileStore,
  outputPrefix: string,
): Promise<BatchOutputLine[]> {
  const files = (await store.list(outputPrefix))
    .map((key) => ({ key, match: ATTEMPT_FILE.exec(key) }))
    .filter((f): f is { key: string; match: RegExpExecArray } => f.match !== null)
    .sort((a, b) => Number(a.match[1]) - Number(b.match[1]) || a.key.localeCompare(b.key));
  const lines: BatchOutputLine[] = [];
  for (const { key } of files)
    lines.push(...readAttemptLines(await readWholeLines(store, key), key).lines);
  return lines;
}

/** Writes lines as one object (each followed by a newline). */
export async function writeLines(store: FileStore, key: string, lines: readonly string[]) {
  return store.put(key, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

export interface ProducedFile {
  readonly id: string;
  readonly tenantId: string;
  readonly jobId: string;
  readonly filename: string;
  readonly lines: readonly string[];
}

/** Stores a file a job produced under `files/<id>` and records it (both idempotent). */
export async function publishFile(
  store: FileStore,
  files: FileRepository,
  file: ProducedFile,
  now: number,
): Promise<FileRecord> {
  const key = `files/${file.id}`;
  const stored = await writeLines(store, key, file.lines);
  return files.insert({
    id: file.id,
    tenantId: file.tenantId,
    filename: file.filename,
    purpose: 'output',
    bytes: stored.bytes,
    sha256: stored.sha256,
    lines: file.lines.length,
    storageKey: key,
    jobId: file.jobId,
    createdAt: now,
  });
}
