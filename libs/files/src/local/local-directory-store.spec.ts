import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { completeLines, readLines } from '../lines';
import { LocalDirectoryStore } from './local-directory-store';

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('LocalDirectoryStore', () => {
  let root: string;
  let store: LocalDirectoryStore;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'gantry-files-'));
    store = new LocalDirectoryStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('puts a whole object and reads it back with its size and hash', async () => {
    const stored = await store.put('jobs/job_1/requests.jsonl', 'a\nb\n');
    expect(stored).toEqual({
      bytes: 4,
      sha256: createHash('sha256').update('a\nb\n').digest('hex'),
    });
    expect(await text(store.read('jobs/job_1/requests.jsonl'))).toBe('a\nb\n');
    expect(await store.stat('jobs/job_1/requests.jsonl')).toEqual({ bytes: 4 });
  });

  it('puts a stream of chunks and replaces the earlier content, leaving no temporary file', async () => {
    await store.put('f/x', 'old content');
    async function* chunks() {
      yield Buffer.from('new ');
      yield Buffer.from('content');
    }
    expect((await store.put('f/x', chunks())).bytes).toBe(11);
    expect(await text(store.read('f/x'))).toBe('new content');
    expect(await readdir(path.join(root, 'f'))).toEqual(['x']);
  });

  it('keeps the old content when a streamed put fails half way', async () => {
    await store.put('f/x', 'old');
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('client went away');
    }
    await expect(store.put('f/x', failing())).rejects.toThrow('client went away');
    expect(await text(store.read('f/x'))).toBe('old');
    expect(await readdir(path.join(root, 'f'))).toEqual(['x']);
  });

  it('appends, creating the object and its folders', async () => {
    await store.append('jobs/j/shards/0/attempt-1.out.jsonl', '{"a":1}\n');
    await store.append('jobs/j/shards/0/attempt-1.out.jsonl', '{"a":2}\n');
    expect(await collect(completeLines(store.read('jobs/j/shards/0/attempt-1.out.jsonl')))).toEqual(
      ['{"a":1}', '{"a":2}'],
    );
  });

  it('keeps concurrent appends whole', async () => {
    const line = (i: number) => `${JSON.stringify({ i, pad: 'x'.repeat(2000) })}\n`;
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append('c', line(i))));
    const lines = await collect(completeLines(store.read('c')));
    expect(lines).toHaveLength(200);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { i: number }).i)).size).toBe(200);
  });

  it('says which lines are torn', async () => {
    await store.put('t', 'one\r\ntwo\nthr');
    expect(await collect(readLines(store.read('t')))).toEqual([
      { line: 'one', complete: true },
      { line: 'two', complete: true },
      { line: 'thr', complete: false },
    ]);
    expect(await collect(completeLines(store.read('t')))).toEqual(['one', 'two']);
  });

  it('decodes characters split across chunks', async () => {
    const bytes = Buffer.from('é\n', 'utf8');
    async function* split() {
      yield bytes.subarray(0, 1);
      yield bytes.subarray(1);
    }
    expect(await collect(completeLines(split()))).toEqual(['é']);
  });

  it('lists keys under a prefix, sorted, and removes a prefix', async () => {
    await store.put('jobs/a/2', 'x');
    await store.put('jobs/a/1', 'x');
    await store.put('jobs/ab/1', 'x');
    await store.put('jobs/b/1', 'x');
    expect(await store.list('jobs/a/')).toEqual(['jobs/a/1', 'jobs/a/2']);
    expect(await store.list('jobs/a')).toEqual(['jobs/a/1', 'jobs/a/2', 'jobs/ab/1']);
    expect(await store.list('nothing/')).toEqual([]);
    await store.remove('jobs/a/');
    expect(await store.list('jobs/')).toEqual(['jobs/ab/1', 'jobs/b/1']);
    await store.remove('jobs/missing');
  });

  it('answers a missing object with NotFoundError and null', async () => {
    expect(await store.stat('nope')).toBeNull();
    await expect(text(store.read('nope'))).rejects.toThrow('file nope not found');
  });

  it.each(['../etc/passwd', '/abs', 'a//b', 'a/./b', 'a b', ''])(
    'refuses the key %j',
    async (key) => {
      await expect(store.put(key, 'x')).rejects.toThrow(`file store key "${key}" is invalid`);
    },
  );

  it('refuses to remove the whole store', async () => {
    await expect(store.remove('')).rejects.toThrow('refusing to remove the whole store');
  });
});
