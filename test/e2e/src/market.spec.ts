/**
 * The GPU market through a live cluster (ADR 10): a renter buys an interruptible lease, runs a
 * job in it, internal work reclaims it with notice (the notice event, then SIGTERM to the
 * renter's job when it runs out), and the ledger charges the delivered seconds and owes no
 * credit; an admin reclaim with a shorter notice credits the shortfall; renters are isolated
 * from each other, and calls without a key are refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bearerMetadata, callUnary } from '@gantry/grpc';
import { JobState, LeaseProduct, LeaseState, type Lease, type LeaseRequest } from '@gantry/proto';
import {
  Cluster,
  commandSpec,
  eventually,
  leaseEvents,
  readMark,
  type GantryClient,
} from './harness';

const NOTICE_SECONDS = 6;
const TIMEOUT_MS = 15_000;

/** A renter's job: notes when it started and when SIGTERM came, then keeps running. */
function renterScript(marks: string): string {
  return (
    `echo "start $(date +%s%3N)" >> ${marks}; ` +
    `trap 'echo "sigterm $(date +%s%3N)" >> ${marks}; exit 143' TERM; ` +
    'while true; do sleep 0.1; done'
  );
}

describe('the GPU market, live', () => {
  let cluster: Cluster;
  let admin: GantryClient;
  let alice: GantryClient;
  let bob: GantryClient;
  let marks: string;

  beforeEach(async () => {
    cluster = await Cluster.create({
      controlPlaneEnv: { GANTRY_LEASE_NOTICE_SECONDS: String(NOTICE_SECONDS) },
    });
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '4xH100-80GB');
    admin = cluster.client();
    await eventually('the agent registered', async () =>
      (await admin.nodes()).length === 1 ? true : undefined,
    );
    alice = await renter('alice', 100_000_000); // $100
    bob = await renter('bob', 0);
    marks = path.join(cluster.workDir, 'marks');
    writeFileSync(marks, '');
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  async function renter(name: string, topUp: number): Promise<GantryClient> {
    const { apiKey } = await callUnary(
      admin.admin,
      'createRenter',
      { name, spendLimitMicros: 0 },
      admin.metadata,
      TIMEOUT_MS,
    );
    if (topUp > 0)
      await callUnary(
        admin.admin,
        'topUp',
        { renter: name, amountMicros: topUp, idempotencyKey: `topup-${name}`, note: 'e2e' },
        admin.metadata,
        TIMEOUT_MS,
      );
    return cluster.client(undefined, apiKey);
  }

  const leaseRequest = (bid: number): LeaseRequest => ({
    product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE,
    gpuModel: 'H100-80GB',
    gpus: 2,
    nodes: 1,
    duration: { seconds: 3600, nanos: 0 },
    bidMicrosPerGpuHour: bid,
    fabricDomain: '',
  });

  async function buyActiveLease(client: GantryClient): Promise<Lease> {
    // An interruptible offer's price is the floor a bid must reach. The market's view of the
    // cluster is refreshed each second: the new node is on sale once it has seen it.
    const offer = await eventually('an interruptible offer', async () => {
      const { offers } = await callUnary(
        client.rental,
        'listOffers',
        { gpuModel: 'H100-80GB', product: LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE },
        client.metadata,
        TIMEOUT_MS,
      );
      return offers[0];
    });
    const floor = offer.priceMicrosPerGpuHour;
    const { lease } = await callUnary(
      client.rental,
      'createLease',
      { lease: leaseRequest(floor), idempotencyKey: 'buy-1' },
      client.metadata,
      TIMEOUT_MS,
    );
    return eventually('the lease to start', async () => {
      const { lease: now } = await callUnary(
        client.rental,
        'getLease',
        { leaseId: lease!.id },
        client.metadata,
        TIMEOUT_MS,
      );
      return now!.state === LeaseState.LEASE_STATE_ACTIVE ? now! : undefined;
    });
  }

  async function runInLease(client: GantryClient, lease: Lease) {
    const job = await client.submit(
      commandSpec(['sh', '-c', renterScript(marks)], 2, { leaseId: lease.id }),
    );
    await client.waitForState(job.id, [JobState.JOB_STATE_RUNNING], 30_000);
    await eventually('the renter job to note its start', async () =>
      readFileSync(marks, 'utf8').includes('start') ? true : undefined,
    );
    return job;
  }

  const mark = (kind: string) => readMark(marks, kind);

  it('reclaims an interruptible lease for internal work with its full notice, and owes no credit', async () => {
    const lease = await buyActiveLease(alice);
    const job = await runInLease(alice, lease);

    // Internal demand: a serving job wants every GPU of the node.
    const internal = await admin.submit(
      commandSpec(['sh', '-c', 'sleep 1'], 4, { priorityClass: 'serving' }),
    );
    const events = await leaseEvents(alice, lease.id); // ends once the lease has ended
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['started', 'notice', 'reclaimed', 'ended']));
    const notice = events.find((e) => e.type === 'notice')!;
    const noticeAt = notice.time!.getTime();
    expect(notice.noticeEndTime!.getTime() - noticeAt).toBe(NOTICE_SECONDS * 1000);
    // SIGTERM came to the renter's job only once the notice ran out.
    expect(mark('sigterm')).toBeGreaterThanOrEqual(noticeAt + NOTICE_SECONDS * 1000 - 250);
    const ended = await alice.waitForState(job.id, [JobState.JOB_STATE_CANCELLED], 30_000);
    expect(ended.message).toContain('reclaimed');
    await admin.waitForState(internal.id, [JobState.JOB_STATE_SUCCEEDED], 60_000);

    const { lease: final } = await callUnary(
      alice.rental,
      'getLease',
      { leaseId: lease.id },
      alice.metadata,
      TIMEOUT_MS,
    );
    expect(final).toMatchObject({ state: LeaseState.LEASE_STATE_ENDED, endReason: 'reclaimed' });
    expect(final!.creditedMicros).toBe(0);
    expect(final!.gpuSeconds).toBeGreaterThan(0);
    const statement = await callUnary(
      alice.rental,
      'getStatement',
      { leaseId: lease.id },
      alice.metadata,
      TIMEOUT_MS,
    );
    const charged = statement.lines.filter((l) => l.kind === 'charge');
    expect(charged.reduce((sum, l) => sum - l.amountMicros, 0)).toBe(final!.chargedMicros);
    expect(final!.chargedMicros).toBe(
      Math.floor((final!.gpuSeconds * final!.priceMicrosPerGpuHour) / 3600 + 0.5),
    );
    expect(statement.lines.filter((l) => l.kind === 'credit')).toEqual([]);
  });

  it('credits the notice an admin reclaim cut short', async () => {
    const lease = await buyActiveLease(alice);
    await runInLease(alice, lease);
    await callUnary(
      admin.admin,
      'reclaimLease',
      { leaseId: lease.id, notice: { seconds: 1, nanos: 0 }, reason: 'maintenance' },
      admin.metadata,
      TIMEOUT_MS,
    );
    const events = await leaseEvents(alice, lease.id);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['notice', 'credited', 'reclaimed', 'ended']),
    );
    const shortfall = (NOTICE_SECONDS - 1) * 2; // GPU-seconds of notice not given
    const owed = Math.floor((shortfall * lease.priceMicrosPerGpuHour) / 3600 + 0.5);
    expect(events.find((e) => e.type === 'credited')!.amountMicros).toBe(owed);
    const { lease: final } = await callUnary(
      alice.rental,
      'getLease',
      { leaseId: lease.id },
      alice.metadata,
      TIMEOUT_MS,
    );
    expect(final!.creditedMicros).toBe(owed);
  });

  it('keeps renters apart, and refuses calls without a key', async () => {
    const lease = await buyActiveLease(alice);
    const job = await runInLease(alice, lease);

    const code = (call: Promise<unknown>) =>
      call.then(
        () => 'OK',
        (e: { code: string }) => e.code,
      );
    expect(
      await code(
        callUnary(bob.rental, 'getLease', { leaseId: lease.id }, bob.metadata, TIMEOUT_MS),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await code(
        callUnary(bob.rental, 'releaseLease', { leaseId: lease.id }, bob.metadata, TIMEOUT_MS),
      ),
    ).toBe('NOT_FOUND');
    expect(await code(bob.get(job.id))).toBe('NOT_FOUND');
    expect(await code(bob.cancel(job.id))).toBe('NOT_FOUND');
    expect(
      await code(bob.submit(commandSpec(['sh', '-c', 'true'], 1, { leaseId: lease.id }))),
    ).toBe('INVALID_ARGUMENT');
    const nobody = bearerMetadata('');
    expect(
      await code(
        callUnary(
          alice.rental,
          'listLeases',
          { states: [], pageSize: 0, pageToken: '' },
          nobody,
          TIMEOUT_MS,
        ),
      ),
    ).toBe('UNAUTHENTICATED');
    expect(
      await code(
        callUnary(
          admin.rental,
          'listLeases',
          { states: [], pageSize: 0, pageToken: '' },
          admin.metadata,
          TIMEOUT_MS,
        ),
      ),
    ).toBe('PERMISSION_DENIED');
    expect((await alice.get(job.id)).state).toBe(JobState.JOB_STATE_RUNNING); // untouched
  });
});
