/**
 * FileStore: where job inputs and outputs live (ADR 9). Keys are path-like (`jobs/job_01.../
 * requests.jsonl`): segments of letters, digits, `.`, `_`, `-` and `#`, none of them `.` or
 * `..`. The control plane and the agents of one cluster share one store (on one machine a
 * local directory; on Kubernetes a ReadWriteMany volume, or an object store behind this same
 * interface).
 */
export interface FileStore {
  /**
   * Writes a whole object, replacing any earlier one; readers see the old content or the new,
   * never a part (write to a temporary name, then rename). Returns its size and SHA-256.
   */
  put(key: string, content: string | Uint8Array | AsyncIterable<Uint8Array>): Promise<StoredObject>;
  /**
   * Appends to an object, creating it if missing. Each call's data is written in one append, so
   * lines appended by one writer never interleave with another's within a call.
   */
  append(key: string, data: string | Uint8Array): Promise<void>;
  /** The object's content in chunks; NotFoundError when it does not exist. */
  read(key: string): AsyncIterable<Uint8Array>;
  /** The object's size, or null when it does not exist. */
  stat(key: string): Promise<{ readonly bytes: number } | null>;
  /** Keys under a prefix (`jobs/job_01.../shards/`), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes an object, or everything under a prefix ending in `/`. Missing keys are no error. */
  remove(keyOrPrefix: string): Promise<void>;
}

/** What `put` stored. */
export interface StoredObject {
  readonly bytes: number;
  /** Hex SHA-256 of the content. */
  readonly sha256: string;
}

const SEGMENT = /^[A-Za-z0-9._#-]{1,255}$/;

/** Checks a key (or, with `prefix`, a prefix that may end in `/`); throws a clear Error. */
export function checkKey(key: string, prefix = false): string[] {
  const body = prefix && key.endsWith('/') ? key.slice(0, -1) : key;
  if (body === '' && prefix) return [];
  const segments = body.split('/');
  for (const segment of segments) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..')
      throw new Error(
        `file store key "${key}" is invalid: segments are 1-255 letters, digits, ".", "_", "-" or "#", not "." or ".."`,
      );
  }
  return segments;
}
