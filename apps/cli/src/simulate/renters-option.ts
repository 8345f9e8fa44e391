/**
 * `gantry simulate --renters [spec]`: the renter demand replayed beside each policy's replay
 * (docs/market.md). `--renters` alone takes the documented defaults; a spec changes some of
 * them, comma-separated `key=value`:
 *   rate=360      lease requests per hour (Poisson)      seed=1        the demand's own seed
 *   duration=3600 mean lease, seconds (exponential)      notice=120    notice promised, seconds
 *   spread=0.5    bids: floor x (1 + spread x U[0,1))    count=20      renters
 *   sizes=1:40/2:25/4:20/8:15   GPUs per lease (one node) and their weights
 * Every value is checked once here, with a message naming the key.
 */
import {
  checkRenterDemand,
  DEFAULT_RENTER_DEMAND,
  type RenterDemandOptions,
} from '@gantry/scheduling';
import { UsageError } from '../errors/cli-errors';

export const RENTER_KEYS = ['rate', 'seed', 'duration', 'notice', 'spread', 'count', 'sizes'];

function numberOf(key: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value))
    throw new UsageError(`--renters ${key}: must be a number (got '${text}')`);
  return value;
}

function sizesOf(text: string): [number, number][] {
  return text.split('/').map((part) => {
    const [gpus, weight, extra] = part.split(':');
    if (gpus === undefined || weight === undefined || extra !== undefined)
      throw new UsageError(`--renters sizes: must be GPUS:WEIGHT joined by '/' (got '${text}')`);
    return [numberOf('sizes', gpus), numberOf('sizes', weight)];
  });
}

/** The renter demand a `--renters` flag asks for; null without the flag. */
export function parseRenters(raw: string | boolean | undefined): RenterDemandOptions | null {
  if (raw === undefined || raw === false) return null;
  let options: RenterDemandOptions = DEFAULT_RENTER_DEMAND;
  const text = raw === true ? '' : raw.trim();
  for (const pair of text === '' ? [] : text.split(',')) {
    const at = pair.indexOf('=');
    const key = (at < 0 ? pair : pair.slice(0, at)).trim();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    if (!RENTER_KEYS.includes(key))
      throw new UsageError(
        `--renters: unknown key '${key}' (known: ${RENTER_KEYS.join(', ')}; e.g. rate=360,seed=2)`,
      );
    if (at < 0) throw new UsageError(`--renters ${key}: needs a value (${key}=...)`);
    const patch: Partial<RenterDemandOptions> =
      key === 'rate'
        ? { ratePerHour: numberOf(key, value) }
        : key === 'seed'
          ? { seed: numberOf(key, value) }
          : key === 'duration'
            ? { meanDurationSeconds: numberOf(key, value) }
            : key === 'notice'
              ? { noticeSeconds: numberOf(key, value) }
              : key === 'spread'
                ? { bidSpread: numberOf(key, value) }
                : key === 'count'
                  ? { renters: numberOf(key, value) }
                  : { sizes: sizesOf(value) };
    options = { ...options, ...patch };
  }
  try {
    return checkRenterDemand(options);
  } catch (error) {
    throw new UsageError(`--${error instanceof Error ? error.message : String(error)}`);
  }
}
