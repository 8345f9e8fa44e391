import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors/cli-errors';
import { contextPath, readContext, writeContext } from './context-file';

describe('context file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'gantry-context-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('is undefined when absent', async () => {
    await expect(readContext(contextPath(home))).resolves.toBeUndefined();
  });

  it('round-trips and is private to its owner', async () => {
    const path = contextPath(join(home, 'nested'));
    const context = { endpoint: '127.0.0.1:5000', apiKey: 'gk_x', httpUrl: 'http://127.0.0.1:1' };
    await writeContext(path, context);
    await expect(readContext(path)).resolves.toEqual(context);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'nested'))).mode & 0o777).toBe(0o700);
  });

  it('replaces an earlier context whole', async () => {
    const path = contextPath(home);
    await writeContext(path, { endpoint: 'a:1', apiKey: 'k1', dataDir: '/d' });
    await writeContext(path, { endpoint: 'b:2', apiKey: 'k2' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ endpoint: 'b:2', apiKey: 'k2' });
  });

  it.each(['not json', '{"endpoint": 1}', '[]'])('rejects a damaged file %j', async (text) => {
    await writeFile(contextPath(home), text);
    await expect(readContext(contextPath(home))).rejects.toThrow(UsageError);
  });
});
