import { createHash } from 'node:crypto';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { NotFoundError, ResourceExhaustedError, ValidationError } from '@gantry/domain';
import { bearerToken, clientStreaming, serverStreaming, unary } from '@gantry/grpc';
import {
  FilePurpose,
  FileServiceService,
  JobServiceService,
  type File,
  type Job,
  type SubmitJobRequest,
  type SubmitJobResponse,
  type UploadFileRequest,
} from '@gantry/proto';
import { grpcApi, type GantryApi } from '../connection/grpc-api';

/** A stored file of the double: metadata and content. */
export interface StoredFile {
  file: File;
  content: Buffer;
}

/** What a test may set: jobs to serve, a submit answer, limits, a corrupted download. */
export interface ApiDoubleOptions {
  readonly jobs?: readonly Job[];
  readonly submit?: (request: SubmitJobRequest) => Promise<SubmitJobResponse>;
  readonly maxFileBytes?: number;
  /** Bytes per DownloadFile message (the real server sends up to 1 MiB). */
  readonly downloadChunkBytes?: number;
}

/**
 * An in-process gRPC server standing in for the control plane's FileService (files in memory,
 * the real protocol: header first, chunks of at most 1 MiB, NOT_FOUND for unknown ids) and the
 * JobService calls the CLI's file features use (SubmitJob, GetJob), on a free port, through the
 * same handler adapters (and so the same status mapping) as the real servers. `api` is the real
 * gRPC client against it.
 */
export async function startApiDouble(options: ApiDoubleOptions = {}) {
  const files = new Map<string, StoredFile>();
  const submitted: SubmitJobRequest[] = [];
  const chunkSizes: number[] = [];
  const keys: string[] = [];
  const jobs = new Map((options.jobs ?? []).map((job) => [job.id, job]));
  let next = 1;
  const lookup = (id: string) => {
    const stored = files.get(id);
    if (!stored) throw new NotFoundError('file', id);
    return stored;
  };

  const server = new Server();
  server.addService(FileServiceService, {
    uploadFile: clientStreaming(
      'UploadFile',
      async (requests: AsyncIterable<UploadFileRequest>, call) => {
        keys.push(bearerToken(call.metadata));
        let filename: string | undefined;
        const parts: Buffer[] = [];
        let bytes = 0;
        for await (const request of requests) {
          const part = request.part;
          if (filename === undefined) {
            if (part?.$case !== 'header') throw ValidationError.field('header', 'must come first');
            filename = part.header.filename;
          } else if (part?.$case === 'chunk') {
            if (part.chunk.byteLength > 1024 * 1024)
              throw ValidationError.field('chunk', 'must be at most 1048576 bytes');
            chunkSizes.push(part.chunk.byteLength);
            bytes += part.chunk.byteLength;
            if (bytes > (options.maxFileBytes ?? Number.POSITIVE_INFINITY))
              throw new ResourceExhaustedError(
                `the file is larger than ${options.maxFileBytes} bytes`,
              );
            parts.push(part.chunk);
          } else throw ValidationError.field('header', 'an upload has one header');
        }
        const content = Buffer.concat(parts);
        const file = storeFile(
          files,
          `file_${String(next++).padStart(2, '0')}`,
          filename ?? '',
          content,
        );
        return { file };
      },
    ),
    downloadFile: serverStreaming('DownloadFile', async (request: { fileId: string }, call) => {
      const { content } = lookup(request.fileId);
      const size = options.downloadChunkBytes ?? 64 * 1024;
      for (let at = 0; at < content.byteLength; at += size)
        call.write({ chunk: content.subarray(at, at + size) });
    }),
    getFile: unary('GetFile', async (request: { fileId: string }) => ({
      file: lookup(request.fileId).file,
    })),
    listFiles: unary('ListFiles', async (request: { pageSize: number; pageToken: string }) => {
      const all = [...files.values()].map((s) => s.file).reverse();
      const from = Number(request.pageToken || '0');
      const to = from + (request.pageSize || 100);
      return { files: all.slice(from, to), nextPageToken: to < all.length ? String(to) : '' };
    }),
    deleteFile: unary('DeleteFile', async (request: { fileId: string }) => {
      lookup(request.fileId);
      files.delete(request.fileId);
      return {};
    }),
  });
  server.addService(JobServiceService, {
    submitJob: unary('SubmitJob', async (request: SubmitJobRequest) => {
      submitted.push(request);
      if (!options.submit) throw new Error('this double was given no submit answer');
      return options.submit(request);
    }),
    getJob: unary('GetJob', async (request: { jobId: string }) => {
      const job = jobs.get(request.jobId);
      if (!job) throw new NotFoundError('job', request.jobId);
      return { job };
    }),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const endpoint = `127.0.0.1:${port}`;
  const api: GantryApi = grpcApi(endpoint, 'gk_test');
  return {
    endpoint,
    api,
    files,
    submitted,
    /** The size of every chunk uploaded, in order. */
    chunkSizes,
    /** The API key each upload carried. */
    keys,
    /** Adds a file as if a job had produced it. */
    addFile: (id: string, filename: string, content: string | Buffer, jobId = '') =>
      storeFile(files, id, filename, Buffer.from(content), jobId),
    async close() {
      api.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

/** Stores content with its metadata (lines counted as the server counts them). */
function storeFile(
  files: Map<string, StoredFile>,
  id: string,
  filename: string,
  content: Buffer,
  jobId = '',
): File {
  const newlines = content.filter((byte) => byte === 0x0a).length;
  const file: File = {
    id,
    filename,
    purpose: jobId ? FilePurpose.FILE_PURPOSE_OUTPUT : FilePurpose.FILE_PURPOSE_INPUT,
    bytes: content.byteLength,
    sha256: createHash('sha256').update(content).digest('hex'),
    createTime: new Date('2026-11-29T11:00:00Z'),
    jobId,
    lines: newlines + (content.byteLength > 0 && content.at(-1) !== 0x0a ? 1 : 0),
  };
  files.set(id, { file, content });
  return file;
}
