/**
 * Where a multi-node job's ranks meet: rank 0's host, and a port every rank can compute alike.
 * The port is a hash of (job, attempt) into a range above the usual ephemeral-port floor of
 * the services a GPU node runs and below Linux's ephemeral range (32768+), so a rendezvous
 * rarely collides with another one on the same node and a new attempt gets a fresh port.
 */
import { createHash } from 'node:crypto';

export const RENDEZVOUS_PORTS = { first: 20_000, count: 10_000 } as const;

export function rendezvousPort(jobId: string, attempt: number): number {
  const digest = createHash('sha256').update(`${jobId}#${attempt}`).digest();
  return RENDEZVOUS_PORTS.first + (digest.readUInt32BE(0) % RENDEZVOUS_PORTS.count);
}

/** The host part of an agent address (`host:port`, `[v6]:port`). */
export function hostOf(address: string): string {
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(address);
  if (bracketed) return bracketed[1]!;
  const colon = address.lastIndexOf(':');
  return colon > 0 ? address.slice(0, colon) : address;
}
