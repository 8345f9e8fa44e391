/** FileRepository over a Map, for unit tests (the PostgreSQL one is tested in test/integration). */
import { NotFoundError } from '@gantry/domain';
import type { FileRecord, FileRepository, Scope } from '@gantry/store';

export class InMemoryFileRepository implements FileRepository {
  private readonly files = new Map<string, FileRecord>();

  async insert(file: FileRecord): Promise<FileRecord> {
    this.files.set(file.id, file);
    return file;
  }

  async get(scope: Scope, fileId: string): Promise<FileRecord> {
    const file = this.files.get(fileId);
    if (!file || !(scope.admin || file.tenantId === scope.tenantId))
      throw new NotFoundError('file', fileId);
    return file;
  }

  async list(
    scope: Scope,
    pageSize: number,
  ): Promise<{ files: FileRecord[]; nextPageToken: string }> {
    const mine = [...this.files.values()].filter(
      (f) => scope.admin || f.tenantId === scope.tenantId,
    );
    return { files: mine.slice(0, pageSize), nextPageToken: '' };
  }

  async remove(scope: Scope, fileId: string): Promise<FileRecord> {
    const file = await this.get(scope, fileId);
    this.files.delete(fileId);
    return file;
  }
}
