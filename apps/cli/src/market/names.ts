/**
 * How the CLI names the market's enums: products as the domain spells them (`on-demand`,
 * `interruptible`, `reserved`) and lease states in lower case, both read back from flags.
 */
import { LEASE_PRODUCTS, type LeaseState as StateName } from '@gantry/domain';
import {
  LeaseProduct,
  LeaseState,
  leaseProductFromJSON,
  leaseProductToJSON,
  leaseStateFromJSON,
  leaseStateToJSON,
} from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';

/** `LEASE_PRODUCT_ON_DEMAND` -> `on-demand`. */
export function productName(product: LeaseProduct): string {
  return leaseProductToJSON(product)
    .replace(/^LEASE_PRODUCT_/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}

/** `on-demand`, `on_demand`, `ON-DEMAND` or `LEASE_PRODUCT_ON_DEMAND` -> the enum. */
export function parseProduct(text: string, flag = '--product'): LeaseProduct {
  const name = text
    .trim()
    .toUpperCase()
    .replace(/^LEASE_PRODUCT_/, '')
    .replace(/-/g, '_');
  const product = leaseProductFromJSON(`LEASE_PRODUCT_${name}`);
  if (product === LeaseProduct.UNRECOGNIZED || product === LeaseProduct.LEASE_PRODUCT_UNSPECIFIED)
    throw new UsageError(
      `${flag}: must be one of ${[...LEASE_PRODUCTS].sort().join(', ')} (got '${text}')`,
    );
  return product;
}

export const LEASE_STATE_NAMES: readonly StateName[] = ['pending', 'active', 'notice', 'ended'];

/** `LEASE_STATE_ACTIVE` -> `active`. */
export function leaseStateName(state: LeaseState): string {
  return leaseStateToJSON(state)
    .replace(/^LEASE_STATE_/, '')
    .toLowerCase();
}

/**
 * `--state` values for `lease list`: repeated or comma-separated, any case, `live` for every
 * state but ended.
 */
export function parseLeaseStates(values: readonly string[]): LeaseState[] {
  const states = new Set<LeaseState>();
  for (const value of values.flatMap((v) => v.split(','))) {
    const name = value
      .trim()
      .toUpperCase()
      .replace(/^LEASE_STATE_/, '');
    if (name === '') continue;
    if (name === 'LIVE') {
      states.add(LeaseState.LEASE_STATE_PENDING);
      states.add(LeaseState.LEASE_STATE_ACTIVE);
      states.add(LeaseState.LEASE_STATE_NOTICE);
      continue;
    }
    const state = leaseStateFromJSON(`LEASE_STATE_${name}`);
    if (state === LeaseState.UNRECOGNIZED || state === LeaseState.LEASE_STATE_UNSPECIFIED)
      throw new UsageError(
        `--state: must be one of ${LEASE_STATE_NAMES.join(', ')}, live (got '${value.trim()}')`,
      );
    states.add(state);
  }
  return [...states].sort((a, b) => a - b);
}
