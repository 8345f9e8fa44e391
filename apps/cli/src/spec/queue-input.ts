import { findGpuModel } from '@gantry/domain';
import { type Queue } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';

/** `gantry queues put`'s flags as commander hands them over. */
export interface QueueFlags {
  readonly parent?: string;
  readonly guaranteed?: readonly string[];
  readonly max?: readonly string[];
  readonly weight?: string;
}

/** The fair-share weight a queue gets when `--weight` is not given. */
export const DEFAULT_QUEUE_WEIGHT = 1;

/**
 * `MODEL=GPUS` pairs, repeated or comma-separated: `H100-80GB=8`, `'*=16'` (every model not
 * listed). A known model is spelled as the catalog spells it (`h100-80gb` -> `H100-80GB`);
 * anything else is sent as written and the server names what is wrong. Counts must be whole
 * numbers here (the message has no int32 for `8.5`); their range is the server's to check.
 */
export function parseQuota(
  values: readonly string[] | undefined,
  flag: string,
): Record<string, number> {
  const quota: Record<string, number> = {};
  for (const item of (values ?? []).flatMap((v) => v.split(','))) {
    const text = item.trim();
    if (text === '') continue;
    const match = /^([^=\s]+)\s*=\s*(-?\d+)$/.exec(text);
    if (!match)
      throw new UsageError(
        `${flag}: expected MODEL=GPUS like H100-80GB=8 or '*=16' (got '${text}')`,
      );
    const model = match[1] === '*' ? '*' : (findGpuModel(match[1]!)?.id ?? match[1]!);
    if (model in quota) throw new UsageError(`${flag}: names ${model} twice`);
    quota[model] = Number(match[2]);
  }
  return quota;
}

/** `--weight`: a number (the server checks its range); 1 when not given. */
export function parseWeight(text: string | undefined): number {
  if (text === undefined) return DEFAULT_QUEUE_WEIGHT;
  const weight = Number(text);
  if (text.trim() === '' || !Number.isFinite(weight))
    throw new UsageError(`--weight: must be a number like 1 or 0.5 (got '${text}')`);
  return weight;
}

/**
 * The queue `put` sends. Put replaces the whole queue, so what is not given is sent as its
 * default: no parent (an organization), no guarantee, no maximum, weight 1.
 */
export function queueFromFlags(name: string, flags: QueueFlags): Queue {
  return {
    name,
    parent: flags.parent ?? '',
    guaranteed: parseQuota(flags.guaranteed, '--guaranteed'),
    max: parseQuota(flags.max, '--max'),
    weight: parseWeight(flags.weight),
    used: {},
  };
}
