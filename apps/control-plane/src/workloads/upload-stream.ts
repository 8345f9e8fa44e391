import { ResourceExhaustedError, ValidationError } from '@gantry/domain';
import type * as pb from '@gantry/proto';

const MAX_CHUNK_BYTES = 1024 * 1024;
const FILENAME = /^[^/\\\0]{1,255}$/;

/** An upload's header, then its content as it arrives, counted. */
export interface Upload {
  readonly filename: string;
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Lines seen once `chunks` is consumed (a last line without a newline counts). */
  lines(): number;
}

/**
 * Reads an UploadFile stream: the first message must be a header naming the file; every later
 * one a chunk of at most 1 MiB; at most `maxBytes` in all (RESOURCE_EXHAUSTED past it). Errors
 * name the field (`header.filename`, `chunk`).
 */
export async function uploadedChunks(
  requests: AsyncIterable<pb.UploadFileRequest>,
  maxBytes: number,
): Promise<Upload> {
  const iterator = requests[Symbol.asyncIterator]();
  const first = await iterator.next();
  const part = first.done ? undefined : first.value.part;
  if (part?.$case !== 'header')
    throw ValidationError.field('header', 'the first message of an upload must be its header');
  const filename = part.header.filename;
  if (!FILENAME.test(filename) || filename.trim() === '')
    throw ValidationError.field('header.filename', 'must be 1-255 characters without "/"');
  let newlines = 0;
  let bytes = 0;
  let lastByte = 0x0a;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const message = next.value.part;
      if (message?.$case !== 'chunk')
        throw ValidationError.field('header', 'an upload has one header, in its first message');
      const chunk = message.chunk;
      if (chunk.byteLength > MAX_CHUNK_BYTES)
        throw ValidationError.field('chunk', `must be at most ${MAX_CHUNK_BYTES} bytes`);
      bytes += chunk.byteLength;
      if (bytes > maxBytes)
        throw new ResourceExhaustedError(
          `the file is larger than ${maxBytes} bytes (GANTRY_MAX_FILE_BYTES)`,
        );
      for (const byte of chunk) if (byte === 0x0a) newlines++;
      if (chunk.byteLength > 0) lastByte = chunk[chunk.byteLength - 1]!;
      yield chunk;
    }
  }
  return { filename, chunks: chunks(), lines: () => newlines + (lastByte === 0x0a ? 0 : 1) };
}
