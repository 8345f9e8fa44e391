import { sql, type Kysely, type Selectable } from 'kysely';
import { FailedPreconditionError, isId, NotFoundError, ValidationError } from '@gantry/domain';
import type { FileRecord, FileRepository, Scope } from '../api';
import type { Database } from '../database/database';
import { toDate, toMs } from '../mappers/time';
import type { FilesTable, Schema } from '../schema';

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

function fromRow(row: Selectable<FilesTable>): FileRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    filename: row.filename,
    purpose: row.purpose,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    lines: Number(row.lines),
    storageKey: row.storage_key,
    jobId: row.job_id,
    createdAt: toMs(row.created_at),
  };
}

/** ListFiles page tokens: the id of the last file of the previous page, opaque to clients. */
function encodeToken(fileId: string): string {
  return Buffer.from(`f1:${fileId}`, 'utf8').toString('base64url');
}

function decodeToken(token: string): string | undefined {
  if (token === '') return undefined;
  const text = /^[A-Za-z0-9_-]+$/.test(token)
    ? Buffer.from(token, 'base64url').toString('utf8')
    : '';
  const id = text.startsWith('f1:') ? text.slice(3) : '';
  if (!isId('file', id))
    throw ValidationError.field(
      'page_token',
      'is not a page token from a previous ListFiles reply',
    );
  return id;
}

/** Files' metadata in PostgreSQL (their content is in the FileStore). */
export class KyselyFileRepository implements FileRepository {
  private readonly db: Kysely<Schema>;

  constructor(database: Pick<Database, 'db'>) {
    this.db = database.db;
  }

  /** Records a file; a second insert of the same id keeps the first (retried finalizations). */
  async insert(file: FileRecord): Promise<FileRecord> {
    await this.db
      .insertInto('files')
      .values({
        id: file.id,
        tenant_id: file.tenantId,
        filename: file.filename,
        purpose: file.purpose,
        bytes: file.bytes,
        sha256: file.sha256,
        lines: file.lines,
        storage_key: file.storageKey,
        job_id: file.jobId,
        created_at: toDate(file.createdAt),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async get(scope: Scope, fileId: string): Promise<FileRecord> {
    const row = await this.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', fileId)
      .executeTakeFirst();
    if (!row || !(scope.admin || row.tenant_id === scope.tenantId))
      throw new NotFoundError('file', fileId);
    return fromRow(row);
  }

  async list(
    scope: Scope,
    pageSize: number,
    pageToken: string,
  ): Promise<{ files: FileRecord[]; nextPageToken: string }> {
    const before = decodeToken(pageToken);
    let query = this.db
      .selectFrom('files')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(pageSize + 1);
    if (!scope.admin) query = query.where('tenant_id', '=', scope.tenantId);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.execute();
    const files = rows.slice(0, pageSize).map(fromRow);
    const more = rows.length > pageSize;
    return { files, nextPageToken: more ? encodeToken(files[files.length - 1]!.id) : '' };
  }

  /**
   * Transaction "remove file". Reads: the file; the jobs of its tenant that have not ended and
   * whose spec names it. Writes: deletes the file's row when no such job exists.
   */
  async remove(scope: Scope, fileId: string): Promise<FileRecord> {
    return this.db.transaction().execute(async (trx) => {
      // Read through the transaction: PGlite has one connection, so this.db would wait forever.
      const row = await trx
        .selectFrom('files')
        .selectAll()
        .where('id', '=', fileId)
        .executeTakeFirst();
      if (!row || !(scope.admin || row.tenant_id === scope.tenantId))
        throw new NotFoundError('file', fileId);
      const file = fromRow(row);
      const reader = await trx
        .selectFrom('jobs')
        .select('id')
        .where('tenant_id', '=', file.tenantId)
        .where('state', 'not in', TERMINAL)
        .where(sql<boolean>`position(${fileId} in spec::text) > 0`)
        .executeTakeFirst();
      if (reader)
        throw new FailedPreconditionError(
          `file ${fileId} is read by job ${reader.id}, which has not ended; cancel it or wait`,
        );
      await trx.deleteFrom('files').where('id', '=', fileId).execute();
      return file;
    });
  }
}
