import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type File } from '@gantry/proto';
import { type CliEnvironment } from '../cli-environment';
import { type FileApi } from '../connection/file-api';
import { findUploaded } from '../files/find-uploaded';
import { sha256OfFile, uploadLocalFile } from '../files/transfer';
import { formatBytes, transferProgress } from '../format/transfer-progress';
import { type SpecFile } from './load-spec-file';

/** A local file of a spec, once it is on the server. */
export interface UploadedInput {
  readonly path: string;
  readonly file: File;
  /** True when an identical earlier upload was reused. */
  readonly reused: boolean;
}

/**
 * Uploads the local files a spec names (`input_file`, `problems_file`) and puts their ids in the
 * spec. Progress and a line per file go to stderr on a terminal only. With `reuse` (an
 * idempotency key), a file the tenant already uploaded with the same name and SHA-256 is reused.
 */
export async function uploadLocalFiles(
  spec: SpecFile,
  api: FileApi,
  env: Pick<CliEnvironment, 'stderr' | 'now'>,
  reuse: boolean,
): Promise<UploadedInput[]> {
  const done: UploadedInput[] = [];
  const say = (text: string) => {
    if (env.stderr.isTTY) env.stderr.write(`${text}\n`);
  };
  for (const ref of spec.localFiles) {
    const filename = basename(ref.localPath);
    const existing = reuse
      ? await findUploaded(api, filename, await sha256OfFile(ref.localPath))
      : undefined;
    if (existing) {
      ref.assign(existing.id);
      say(`reusing ${filename}: ${existing.id} (uploaded before, same content)`);
      done.push({ path: ref.path, file: existing, reused: true });
      continue;
    }
    const size = (await stat(ref.localPath)).size;
    const progress = transferProgress(env.stderr, () => env.now(), `uploading ${filename}`, size);
    const file = await uploadLocalFile(api, ref.localPath, filename, progress);
    ref.assign(file.id);
    say(`uploaded ${filename}: ${file.id} (${file.lines} lines, ${formatBytes(file.bytes)})`);
    done.push({ path: ref.path, file, reused: false });
  }
  return done;
}
