import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '@gantry/domain';
import { checkKey, type FileStore, type StoredObject } from '../file-store';

/**
 * A FileStore in a local directory: a key is a path under the root. `put` writes a temporary
 * file beside the target and renames it over (atomic on one filesystem); `append` is one
 * `appendFile` (O_APPEND), so every call's data lands whole and contiguous. Shared by the
 * processes of one machine (`gantry up`, tests) or through a shared volume.
 */
export class LocalDirectoryStore implements FileStore {
  constructor(private readonly root: string) {}

  async put(
    key: string,
    content: string | Uint8Array | AsyncIterable<Uint8Array>,
  ): Promise<StoredObject> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const hash = createHash('sha256');
    let bytes = 0;
    const handle = await open(temporary, 'w');
    try {
      const chunks =
        typeof content === 'string' || content instanceof Uint8Array ? [content] : content;
      for await (const chunk of chunks) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(data);
        bytes += data.byteLength;
        await handle.write(data);
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    await rename(temporary, target);
    return { bytes, sha256: hash.digest('hex') };
  }

  async append(key: string, data: string | Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    await appendFile(target, data);
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    const target = this.pathOf(key);
    if (!(await this.stat(key))) throw new NotFoundError('file', key);
    for await (const chunk of createReadStream(target, { highWaterMark: 256 * 1024 }))
      yield chunk as Buffer;
  }

  async stat(key: string): Promise<{ bytes: number } | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { bytes: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const segments = checkKey(prefix, true);
    const directory = prefix.endsWith('/') || prefix === '';
    const base = directory ? segments : segments.slice(0, -1);
    const start = path.join(this.root, ...base);
    const keys: string[] = [];
    await this.walk(start, base.join('/'), keys);
    return keys.filter((k) => k.startsWith(prefix) && !k.endsWith('.tmp')).sort();
  }

  async remove(keyOrPrefix: string): Promise<void> {
    const segments = checkKey(keyOrPrefix, true);
    if (segments.length === 0) throw new Error('file store: refusing to remove the whole store');
    await rm(path.join(this.root, ...segments), { recursive: true, force: true });
  }

  private pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key));
  }

  private async walk(directory: string, keyPrefix: string, into: string[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const key = keyPrefix === '' ? entry.name : `${keyPrefix}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(path.join(directory, entry.name), key, into);
      else if (entry.isFile()) into.push(key);
    }
  }
}
