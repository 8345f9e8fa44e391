import { LEASE_ID_PATTERN, parseJobSpec, type JobSpec, type JobSpecInput } from '@gantry/domain';
import { UsageError } from '../errors/cli-errors';
import { parseAfter } from './array-and-dependencies';
import { parseDuration } from './duration';

/** `gantry submit`'s flags as commander hands them over (strings, repeatable lists). */
export interface SubmitFlags {
  readonly gpus?: string;
  readonly nodes?: string;
  readonly gpuModel?: string;
  readonly queue?: string;
  readonly priority?: string;
  /** The priority class (`--class`). */
  readonly class?: string;
  /** `--after JOB[:ok|any|failed]`, repeatable. */
  readonly after?: readonly string[];
  readonly name?: string;
  readonly env?: readonly string[];
  readonly label?: readonly string[];
  readonly workdir?: string;
  readonly timeLimit?: string;
  readonly simulate?: string;
  readonly simulateExitCode?: string;
  /** `--lease ID`: a renter's job runs inside this lease (spec.lease_id). */
  readonly lease?: string;
}

/** `--lease`: checked here so the message names the flag rather than spec.lease_id. */
export function leaseFlag(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!LEASE_ID_PATTERN.test(text.trim()))
    throw new UsageError(`--lease: must be a lease id like lease_01jf... (got '${text}')`);
  return text.trim();
}

/**
 * A number from a flag. Malformed text becomes NaN, so parseJobSpec reports it with the
 * server's message (`spec.resources.gpus: must be a number`) rather than a second wording.
 */
export function flagNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return /^\s*$/.test(text) ? Number.NaN : Number(text);
}

/** `KEY=VALUE` pairs from a repeatable flag; the value may be empty or contain `=`. */
export function parsePairs(items: readonly string[] | undefined, flag: string) {
  const pairs: Record<string, string> = {};
  for (const item of items ?? []) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag}: expected KEY=VALUE (got '${item}')`);
    pairs[item.slice(0, at)] = item.slice(at + 1);
  }
  return pairs;
}

/** The spec as a client writes it (protobuf JSON names), from flags and the command. */
export function specInputFromFlags(flags: SubmitFlags, command: readonly string[]): JobSpecInput {
  const simulate = flags.simulate !== undefined;
  if (simulate && command.length > 0)
    throw new UsageError('give either a command after -- or --simulate GPU_SECONDS, not both');
  if (!simulate && command.length === 0)
    throw new UsageError(
      'nothing to run: give a command after -- (gantry submit -- python train.py) ' +
        'or --simulate GPU_SECONDS',
    );
  if (!simulate && flags.simulateExitCode !== undefined)
    throw new UsageError('--simulate-exit-code needs --simulate');
  const env = parsePairs(flags.env, '--env');
  const labels = parsePairs(flags.label, '--label');
  const dependencies = parseAfter(flags.after);
  return {
    name: flags.name,
    queue: flags.queue,
    priority: flagNumber(flags.priority),
    priority_class: flags.class,
    dependencies: dependencies.length > 0 ? dependencies : undefined,
    resources: {
      gpus: flagNumber(flags.gpus) ?? 1,
      gpu_model: flags.gpuModel,
      nodes: flagNumber(flags.nodes),
    },
    labels: Object.keys(labels).length > 0 ? labels : undefined,
    lease_id: leaseFlag(flags.lease),
    time_limit_seconds:
      flags.timeLimit === undefined ? undefined : parseDuration(flags.timeLimit, '--time-limit'),
    ...(simulate
      ? {
          simulated: {
            gpu_seconds: flagNumber(flags.simulate)!,
            exit_code: flagNumber(flags.simulateExitCode),
          },
        }
      : {
          command: {
            argv: [...command],
            env: Object.keys(env).length > 0 ? env : undefined,
            working_dir: flags.workdir,
          },
        }),
  };
}

/** Validates locally with the server's own rules, so mistakes never cost a round trip. */
export function specFromFlags(flags: SubmitFlags, command: readonly string[]): JobSpec {
  return parseJobSpec(specInputFromFlags(flags, command));
}
