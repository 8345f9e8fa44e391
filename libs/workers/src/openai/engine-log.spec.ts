import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLogTail } from './engine-log';

describe('readLogTail', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gantry-engine-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the last lines, from an offset, within a byte window', async () => {
    const file = join(dir, 'engine.log');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await readLogTail(file)).toEqual(lines.slice(50));
    expect(await readLogTail(file, 0, 3)).toEqual(['line 97', 'line 98', 'line 99']);
    // From where a later run began: 'line 98\n' starts at its byte offset.
    const offset = Buffer.byteLength(`${lines.slice(0, 98).join('\n')}\n`);
    expect(await readLogTail(file, offset)).toEqual(['line 98', 'line 99']);
    // A 12-byte window starts inside 'line 98': that partial line is dropped.
    expect(await readLogTail(file, 0, 50, 12)).toEqual(['line 99']);
  });

  it('gives nothing for a missing file and keeps a last line without a newline', async () => {
    expect(await readLogTail(join(dir, 'missing.log'))).toEqual([]);
    const file = join(dir, 'partial.log');
    writeFileSync(file, 'a\nb');
    expect(await readLogTail(file)).toEqual(['a', 'b']);
  });
});
