/**
 * `lease`: the internal workload of a renter's lease (ADR 10). The control plane submits one job
 * per lease, in the `market` queue with the product's class; when it is placed, the agent holds
 * its GPUs with no process (the renter's own jobs run on them), until it is stopped.
 */
import { z } from 'zod';

export interface LeaseWorkload {
  readonly kind: 'lease';
  readonly leaseId: string;
}

export const LEASE_ID_PATTERN = /^lease_[0-9a-hjkmnp-tv-z]{26}$/;

export const leaseIdField = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
  .regex(LEASE_ID_PATTERN, 'must be a lease id (lease_...)');

export const leaseSchema = z.object({ lease_id: leaseIdField }).strict();

export function toLease(input: z.output<typeof leaseSchema>): LeaseWorkload {
  return { kind: 'lease', leaseId: input.lease_id };
}
