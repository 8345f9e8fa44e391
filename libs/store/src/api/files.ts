/** The file repository: what is in the FileStore, whose it is, and who made it. */
import type { Scope } from './tenants';

export type FilePurpose = 'input' | 'output';

export interface FileRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly filename: string;
  readonly purpose: FilePurpose;
  readonly bytes: number;
  readonly sha256: string;
  /** Lines (JSONL records) in the file. */
  readonly lines: number;
  /** Where the content is in the FileStore. */
  readonly storageKey: string;
  /** For an output: the job that produced it. */
  readonly jobId: string | null;
  readonly createdAt: number;
}

export interface FileRepository {
  /** Records a stored file; inserting an id again keeps the first record (idempotent). */
  insert(file: FileRecord): Promise<FileRecord>;
  /** A file the scope may see; NotFoundError otherwise (another tenant's file is not found). */
  get(scope: Scope, fileId: string): Promise<FileRecord>;
  /** The scope's files, newest first; ValidationError (field `page_token`) for a foreign token. */
  list(
    scope: Scope,
    pageSize: number,
    pageToken: string,
  ): Promise<{ files: FileRecord[]; nextPageToken: string }>;
  /**
   * Forgets a file and returns it (the caller removes the content). FailedPreconditionError
   * while a job that has not ended reads it.
   */
  remove(scope: Scope, fileId: string): Promise<FileRecord>;
}
