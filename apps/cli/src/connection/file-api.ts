import { type Metadata } from '@grpc/grpc-js';
import { InternalError } from '@gantry/domain';
import { callUnary, fromServiceError, readStream } from '@gantry/grpc';
import {
  type File,
  type FileServiceClient,
  type ListFilesRequest,
  type ListFilesResponse,
} from '@gantry/proto';

/** FileService as the commands use it: uploads and downloads as streams of bytes. */
export interface FileApi {
  /** Streams `chunks` (any sizes: they are cut to 1 MiB) under `filename`; returns the file. */
  uploadFile(filename: string, chunks: AsyncIterable<Uint8Array>): Promise<File>;
  /** The file's content, chunk by chunk. */
  downloadFile(fileId: string): AsyncIterable<Uint8Array>;
  getFile(fileId: string): Promise<File>;
  listFiles(request: ListFilesRequest): Promise<ListFilesResponse>;
  deleteFile(fileId: string): Promise<void>;
}

/** The protocol's largest chunk (FileService.UploadFile). */
export const MAX_CHUNK_BYTES = 1024 * 1024;
const CALL_TIMEOUT_MS = 30_000;

/** `value`, or InternalError when the reply lacks it. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InternalError(`the server's reply has no ${what}`);
  return value;
}

/** Pieces of at most MAX_CHUNK_BYTES. */
function* pieces(chunk: Uint8Array): Generator<Buffer> {
  for (let at = 0; at < chunk.byteLength; at += MAX_CHUNK_BYTES)
    yield Buffer.from(
      chunk.buffer,
      chunk.byteOffset + at,
      Math.min(MAX_CHUNK_BYTES, chunk.byteLength - at),
    );
}

/**
 * Uploads through a client stream: the header, then the chunks, each write waiting for the
 * stream to drain (so a large file never sits in memory). When the server answers early (an
 * error such as RESOURCE_EXHAUSTED), reading stops; when reading fails, the call is cancelled
 * and the server keeps nothing.
 */
function upload(
  client: FileServiceClient,
  metadata: Metadata,
  filename: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<File> {
  return new Promise<File>((resolve, reject) => {
    let answered = false;
    let wake: (() => void) | undefined;
    const stream = client.uploadFile(metadata, (error, response) => {
      answered = true;
      wake?.();
      if (error) reject(fromServiceError(error));
      else if (response.file) resolve(response.file);
      else reject(new InternalError("the server's reply has no file"));
    });
    const drained = () =>
      new Promise<void>((done) => {
        wake = done;
        stream.once('drain', done);
      });
    void (async () => {
      try {
        stream.write({ part: { $case: 'header', header: { filename } } });
        for await (const chunk of chunks) {
          for (const piece of pieces(chunk)) {
            if (answered) return;
            if (!stream.write({ part: { $case: 'chunk', chunk: piece } })) await drained();
          }
        }
        stream.end();
      } catch (error) {
        // Reading the content failed (the file vanished, a disk error): the server keeps nothing.
        stream.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    })();
  });
}

/** FileService calls with the key's metadata; `wrap` maps transport failures (the endpoint). */
export function fileApi(
  client: FileServiceClient,
  metadata: () => Metadata,
  wrap: (error: unknown) => unknown,
): FileApi {
  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw wrap(error);
    }
  };
  return {
    uploadFile: (filename, chunks) => call(() => upload(client, metadata(), filename, chunks)),
    async *downloadFile(fileId) {
      const stream = client.downloadFile({ fileId }, metadata());
      try {
        for await (const response of readStream(stream)) yield response.chunk;
      } catch (error) {
        throw wrap(error);
      } finally {
        stream.cancel();
      }
    },
    getFile: (fileId) =>
      call(async () => {
        const reply = await callUnary(client, 'getFile', { fileId }, metadata(), CALL_TIMEOUT_MS);
        return present(reply.file, 'file');
      }),
    listFiles: (request) =>
      call(() => callUnary(client, 'listFiles', request, metadata(), CALL_TIMEOUT_MS)),
    deleteFile: (fileId) =>
      call(async () => {
        await callUnary(client, 'deleteFile', { fileId }, metadata(), CALL_TIMEOUT_MS);
      }),
  };
}
