/**
 * FileService: a tenant's files (ADR 9), content in the FileStore, metadata in PostgreSQL.
 * - UploadFile: reads the tenant's key; the first message must be the header (a filename), then
 *   chunks of at most 1 MiB, at most GANTRY_MAX_FILE_BYTES in all; the content goes to the store
 *   under a temporary name and is renamed into place only when the stream ended well, then its
 *   row is written (a failure there removes the content): a broken upload leaves nothing.
 * - DownloadFile: streams the content in chunks of at most 1 MiB.
 * - GetFile / ListFiles: read PostgreSQL, scoped to the tenant (another's file is NOT_FOUND).
 * - DeleteFile: forgets the row (FAILED_PRECONDITION while a live job reads it), then removes
 *   the content.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { type ControlPlaneConfig } from '@gantry/config';
import { newId, ValidationError, type Clock } from '@gantry/domain';
import type { FileStore } from '@gantry/files';
import { clientStreaming, serverStreaming, unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { FileRepository } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { CLOCK, CONFIG, FILES, FILE_STORE } from '../infrastructure/tokens';
import { toProtoFile } from './file.mapper';
import { uploadedChunks } from './upload-stream';

const CHUNK_BYTES = 1024 * 1024;

@Injectable()
export class FileServiceHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(FILES) private readonly files: FileRepository,
    @Inject(FILE_STORE) private readonly store: FileStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  implementation(observer: CallObserver): pb.FileServiceServer {
    return {
      uploadFile: clientStreaming(
        'UploadFile',
        (requests: AsyncIterable<pb.UploadFileRequest>, call) =>
          this.upload(requests, call.metadata),
        observer,
      ),
      downloadFile: serverStreaming(
        'DownloadFile',
        async (req: pb.DownloadFileRequest, call) => {
          const identity = await this.auth.tenant(call.metadata);
          const file = await this.files.get(identity, requiredId(req.fileId));
          for await (const chunk of this.store.read(file.storageKey)) {
            for (let at = 0; at < chunk.byteLength; at += CHUNK_BYTES) {
              const part = chunk.subarray(at, at + CHUNK_BYTES);
              if (!call.write({ chunk: Buffer.from(part) }))
                await new Promise((resolve) => call.once('drain', resolve));
            }
          }
        },
        observer,
      ),
      getFile: unary(
        'GetFile',
        async (req: pb.GetFileRequest, call) => {
          const identity = await this.auth.tenant(call.metadata);
          return { file: toProtoFile(await this.files.get(identity, requiredId(req.fileId))) };
        },
        observer,
      ),
      listFiles: unary(
        'ListFiles',
        async (req: pb.ListFilesRequest, call) => {
          const identity = await this.auth.tenant(call.metadata);
          if (req.pageSize < 0 || req.pageSize > 1000)
            throw ValidationError.field('page_size', 'must be 0-1000 (0 means 100)');
          const page = await this.files.list(identity, req.pageSize || 100, req.pageToken);
          return { files: page.files.map(toProtoFile), nextPageToken: page.nextPageToken };
        },
        observer,
      ),
      deleteFile: unary(
        'DeleteFile',
        async (req: pb.DeleteFileRequest, call) => {
          const identity = await this.auth.tenant(call.metadata);
          const file = await this.files.remove(identity, requiredId(req.fileId));
          await this.store.remove(file.storageKey);
          return {};
        },
        observer,
      ),
    };
  }

  private async upload(
    requests: AsyncIterable<pb.UploadFileRequest>,
    metadata: Metadata,
  ): Promise<pb.UploadFileResponse> {
    const identity = await this.auth.tenant(metadata);
    const upload = await uploadedChunks(requests, this.config.maxFileBytes);
    const id = newId('file', this.clock);
    const key = `files/${id}`;
    const stored = await this.store.put(key, upload.chunks);
    try {
      const file = await this.files.insert({
        id,
        tenantId: identity.tenantId,
        filename: upload.filename,
        purpose: 'input',
        bytes: stored.bytes,
        sha256: stored.sha256,
        lines: upload.lines(),
        storageKey: key,
        jobId: null,
        createdAt: this.clock.now(),
      });
      return { file: toProtoFile(file) };
    } catch (error) {
      await this.store.remove(key).catch(() => undefined);
      throw error;
    }
  }
}

function requiredId(fileId: string): string {
  if (!fileId) throw ValidationError.field('file_id', 'is required');
  return fileId;
}
