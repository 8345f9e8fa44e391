/** How the simulated engine behaves: its command-line flags, checked. */
export interface EngineOptions {
  /** The one model it serves; requests naming another get 404. */
  readonly model: string;
  readonly host: string;
  /** 0 picks a free port (printed in the `listening` line). */
  readonly port: number;
  /** Probability that an arithmetic question is answered right. */
  readonly accuracy: number;
  /** Mixed into every answer and into the failure draws. */
  readonly seed: number;
  /** Added before every completion answer. */
  readonly latencyMs: number;
  /** Fraction of completion requests answered with 500. */
  readonly failRate: number;
  /** Exit(1) when completion request number crashAfter + 1 arrives; null: never. */
  readonly crashAfter: number | null;
  /** Time before it listens at all (a model loading). */
  readonly startupDelayMs: number;
}

/** A bad command line: the message names the flag. The program exits 2 with it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: simulated-engine --model NAME [options]

An OpenAI-compatible test engine: deterministic answers, arithmetic answered right with a
probability, optional latency, failures and a crash.

  --model NAME            the served model (required)
  --host HOST             address to listen on (default 127.0.0.1)
  --port N                port, 0 for a free one (default 0)
  --accuracy P            probability (0-1) an arithmetic question is answered right (default 0.7)
  --seed N                engine seed, mixed into every answer (default 0)
  --latency-ms MS         delay before each completion answer (default 0)
  --fail-rate P           fraction (0-1) of completion requests answered 500 (default 0)
  --crash-after N         exit(1) when completion request N+1 arrives (default: never)
  --startup-delay-ms MS   wait this long before listening (default 0)
  --help                  print this and exit
`;

type Parser = (flag: string, raw: string) => unknown;

function wholeNumber(min: number, max: number): Parser {
  return (flag, raw) => {
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max)
      throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got '${raw}')`);
    return value;
  };
}

function number(min: number, max: number): Parser {
  return (flag, raw) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max)
      throw new UsageError(`${flag} must be a number from ${min} to ${max} (got '${raw}')`);
    return value;
  };
}

function text(flag: string, raw: string): string {
  if (raw.trim() === '') throw new UsageError(`${flag} must not be empty`);
  return raw;
}

const DAY_MS = 86_400_000;

const FLAGS: Record<string, { key: keyof EngineOptions; parse: Parser }> = {
  '--model': { key: 'model', parse: text },
  '--host': { key: 'host', parse: text },
  '--port': { key: 'port', parse: wholeNumber(0, 65535) },
  '--accuracy': { key: 'accuracy', parse: number(0, 1) },
  '--seed': { key: 'seed', parse: wholeNumber(0, 2 ** 32 - 1) },
  '--latency-ms': { key: 'latencyMs', parse: number(0, DAY_MS) },
  '--fail-rate': { key: 'failRate', parse: number(0, 1) },
  '--crash-after': { key: 'crashAfter', parse: wholeNumber(0, Number.MAX_SAFE_INTEGER) },
  '--startup-delay-ms': { key: 'startupDelayMs', parse: number(0, DAY_MS) },
};

const DEFAULTS: Omit<EngineOptions, 'model'> = {
  host: '127.0.0.1',
  port: 0,
  accuracy: 0.7,
  seed: 0,
  latencyMs: 0,
  failRate: 0,
  crashAfter: null,
  startupDelayMs: 0,
};

/**
 * Parses the command line (`--flag value` or `--flag=value`). `help` when --help is given;
 * otherwise the options, or a UsageError naming the flag that is unknown, repeated, missing
 * its value or has a bad one.
 */
export function parseEngineArgs(
  argv: readonly string[],
): { readonly help: true } | { readonly help: false; readonly options: EngineOptions } {
  if (argv.includes('--help') || argv.includes('-h')) return { help: true };
  const given: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const spec = FLAGS[flag];
    if (!spec) throw new UsageError(`unknown flag ${flag}`);
    if (spec.key in given) throw new UsageError(`${flag} is given twice`);
    let raw: string | undefined;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) raw = argv[++i];
    if (raw === undefined) throw new UsageError(`${flag} needs a value`);
    given[spec.key] = spec.parse(flag, raw);
  }
  if (given.model === undefined) throw new UsageError('--model is required');
  return { help: false, options: { ...DEFAULTS, ...given } as EngineOptions };
}
