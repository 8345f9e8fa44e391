/** Helpers the market end-to-end tests share: a lease's whole event stream, a renter job's marks. */
import { readFileSync } from 'node:fs';
import { readStream } from '@gantry/grpc';
import type { LeaseEvent } from '@gantry/proto';
import type { GantryClient } from './clients';

/** Every event of the lease from its first, read until the stream ends (the lease ended). */
export async function leaseEvents(client: GantryClient, leaseId: string): Promise<LeaseEvent[]> {
  const events: LeaseEvent[] = [];
  const stream = client.rental.watchLease({ leaseId, fromSequence: 0 }, client.metadata);
  for await (const message of readStream(stream)) events.push(message.event!);
  return events;
}

/** The number a renter job wrote after `kind` in its marks file (`start 123`, `term 456`). */
export function readMark(file: string, kind: string): number {
  return Number(
    readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(kind))
      ?.split(' ')[1],
  );
}
