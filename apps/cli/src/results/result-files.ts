import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Job } from '@gantry/proto';
import { type CliEnvironment } from '../cli-environment';
import { type FileApi } from '../connection/file-api';
import { downloadToPath } from '../files/transfer';
import { formatBytes, transferProgress } from '../format/transfer-progress';

/** A file a result names: what it holds and the name it is saved under. */
export interface ResultFile {
  readonly role: 'output' | 'errors' | 'dataset';
  readonly fileId: string;
  /** `<job id>.output.jsonl`, `<job id>.errors.jsonl`, `<job id>.dataset.jsonl`. */
  readonly name: string;
}

/** A result file once saved. */
export interface SavedFile extends ResultFile {
  readonly path: string;
  readonly bytes: number;
  readonly lines: number;
}

/** The files of a batch job (output, errors) or an RL job (dataset) that has them. */
export function resultFiles(job: Job): ResultFile[] {
  const kind = job.result?.kind;
  const files: ResultFile[] = [];
  const add = (role: ResultFile['role'], fileId: string) => {
    if (fileId) files.push({ role, fileId, name: `${job.id}.${role}.jsonl` });
  };
  if (kind?.$case === 'batch') {
    add('output', kind.batch.outputFileId);
    add('errors', kind.batch.errorFileId);
  }
  if (kind?.$case === 'rlSynthetic') add('dataset', kind.rlSynthetic.datasetFileId);
  return files;
}

/**
 * Saves a result's files in `dir` (relative to the working directory; created when missing), streaming each to disk with a progress
 * line on a terminal's stderr; a file already there is replaced only once its download is
 * complete and checked.
 */
export async function saveResultFiles(
  api: Pick<FileApi, 'getFile' | 'downloadFile'>,
  files: readonly ResultFile[],
  dir: string,
  env: Pick<CliEnvironment, 'stderr' | 'now' | 'cwd'>,
): Promise<SavedFile[]> {
  if (files.length > 0) await mkdir(resolve(env.cwd, dir), { recursive: true });
  const saved: SavedFile[] = [];
  for (const entry of files) {
    const file = await api.getFile(entry.fileId);
    const path = join(dir, entry.name);
    const progress = transferProgress(
      env.stderr,
      () => env.now(),
      `downloading ${entry.name}`,
      file.bytes,
    );
    await downloadToPath(api, file, resolve(env.cwd, path), progress);
    saved.push({ ...entry, path, bytes: file.bytes, lines: file.lines });
  }
  return saved;
}

/** `out/job_x.output.jsonl (2 lines, 1.0 KiB)`. */
export function describeSaved(file: SavedFile): string {
  return `${file.path} (${file.lines} line${file.lines === 1 ? '' : 's'}, ${formatBytes(file.bytes)})`;
}
