import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { type File } from '@gantry/proto';
import { writeBytes, type OutputStream } from '../cli-environment';
import { MAX_CHUNK_BYTES, type FileApi } from '../connection/file-api';
import { type TransferProgress } from '../format/transfer-progress';

/** Passes chunks through, counting them for a progress line and hashing them. */
async function* counted(
  source: AsyncIterable<Uint8Array>,
  progress: TransferProgress,
  tally: { bytes: number; hash: ReturnType<typeof createHash> },
): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    tally.bytes += chunk.byteLength;
    tally.hash.update(chunk);
    progress.add(chunk.byteLength);
    yield chunk;
  }
}

/** Uploads a local file in chunks of at most 1 MiB (read as sent, never whole in memory). */
export async function uploadLocalFile(
  api: Pick<FileApi, 'uploadFile'>,
  localPath: string,
  filename: string,
  progress: TransferProgress,
): Promise<File> {
  const tally = { bytes: 0, hash: createHash('sha256') };
  const content = createReadStream(localPath, { highWaterMark: MAX_CHUNK_BYTES });
  try {
    return await api.uploadFile(filename, counted(content, progress, tally));
  } finally {
    content.destroy();
    progress.done();
  }
}

/** The hex SHA-256 of a local file, read as a stream. */
export async function sha256OfFile(localPath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(localPath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Downloads a file to `destination`: into `<destination>.partial`, checked against the file's
 * size and SHA-256, then renamed into place, so an interrupted or corrupted download never
 * leaves a file that looks complete.
 */
export async function downloadToPath(
  api: Pick<FileApi, 'downloadFile'>,
  file: File,
  destination: string,
  progress: TransferProgress,
): Promise<void> {
  const partial = `${destination}.partial`;
  const tally = { bytes: 0, hash: createHash('sha256') };
  try {
    await pipeline(counted(api.downloadFile(file.id), progress, tally), createWriteStream(partial));
    checkIntegrity(file, tally.bytes, tally.hash.digest('hex'));
    await rename(partial, destination);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    progress.done();
  }
}

/** Streams a file to an output (`--to -`: stdout), checked like downloadToPath afterwards. */
export async function downloadToStream(
  api: Pick<FileApi, 'downloadFile'>,
  file: File,
  out: OutputStream,
): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of api.downloadFile(file.id)) {
    bytes += chunk.byteLength;
    hash.update(chunk);
    await writeBytes(out, chunk);
  }
  checkIntegrity(file, bytes, hash.digest('hex'));
}

function checkIntegrity(file: File, bytes: number, sha256: string): void {
  if (bytes !== file.bytes || (file.sha256 !== '' && sha256 !== file.sha256))
    throw new Error(
      `download of ${file.id} is corrupt: got ${bytes} bytes with SHA-256 ${sha256}, ` +
        `expected ${file.bytes} bytes with SHA-256 ${file.sha256 || '(not given)'}`,
    );
}
