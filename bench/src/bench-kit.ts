/**
 * What both benchmarks share: flags (`--name value`), the traces folder, the policies to run
 * (FIFO, the baseline, first and measured in the same run), CPU time, and plain-text tables.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadCliConfig } from '@gantry/config';
import { BASELINE_POLICY, policyNames } from '@gantry/scheduling';

export type Flags = ReadonlyMap<string, string>;

/** `--name value` pairs; `--name` alone is `true`. Throws on anything else. */
export function parseFlags(argv: readonly string[], known: readonly string[]): Flags {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.replace(/^--/, '');
    if (!arg.startsWith('--') || !known.includes(name))
      throw new Error(
        `unknown argument '${arg}' (known: ${known.map((k) => `--${k}`).join(', ')})`,
      );
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) flags.set(name, 'true');
    else {
      flags.set(name, value);
      i += 1;
    }
  }
  return flags;
}

export function numberFlag(flags: Flags, name: string, fallback: number): number {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`--${name}: must be a number (got '${text}')`);
  return value;
}

/** The baseline first, then every other registered policy (or those --policy names). */
export function benchPolicies(flags: Flags): string[] {
  const named = flags.get('policy')?.split(',').filter(Boolean) ?? policyNames();
  for (const name of named)
    if (!policyNames().includes(name))
      throw new Error(`--policy: unknown policy '${name}' (known: ${policyNames().join(', ')})`);
  return [BASELINE_POLICY, ...named.filter((name) => name !== BASELINE_POLICY)];
}

/** --traces-dir, else GANTRY_TRACES_DIR, else ../shared/traces beside the repository. */
export function tracesDir(flags: Flags): string {
  const flag = flags.get('traces-dir') ?? loadCliConfig().tracesDir;
  if (flag) return path.resolve(flag);
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir))
    if (existsSync(path.join(dir, 'nx.json'))) return path.resolve(dir, '..', 'shared', 'traces');
  throw new Error('cannot find the traces folder: pass --traces-dir or set GANTRY_TRACES_DIR');
}

/** CPU time of this thread (decide() runs on it), else of the process (Node < 23.9), in ms. */
export function cpuMs(): number {
  const usage =
    typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Left-aligned first column, the rest right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  '),
    )
    .join('\n');
}

/** The same rows as a Markdown table (for the README). */
export function markdown(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  return [head!, head!.map((_, c) => (c === 0 ? '---' : '---:')), ...body]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}

export const fixed = (digits: number) => (value: number | null) =>
  value === null ? '-' : value.toFixed(digits);
export const whole = (value: number) => Math.round(value).toLocaleString('en-US');
