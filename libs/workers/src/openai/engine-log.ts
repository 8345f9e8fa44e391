import { open } from 'node:fs/promises';
import { ENGINE_LOG_TAIL_LINES } from './engine-errors';

/**
 * The last `lines` lines of an engine's log file from byte `from` on (where this run of the
 * engine began writing), reading at most the last `maxBytes` so a huge log costs nothing (a
 * line cut by that window is dropped). [] when the file does not exist.
 */
export async function readLogTail(
  file: string,
  from = 0,
  lines = ENGINE_LOG_TAIL_LINES,
  maxBytes = 64 * 1024,
): Promise<string[]> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(from, size - maxBytes);
    const buffer = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buffer, 0, buffer.length, start);
    const all = buffer.toString('utf8').split('\n');
    if (start > from) all.shift(); // the window began mid-line
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines);
  } finally {
    await handle.close();
  }
}
