/**
 * Bids competing through a live cluster (ADR 12): renter A holds every GPU with an interruptible
 * lease at the floor and runs a job in it; renter B sees those GPUs offered to a higher bid
 * (an outbid line), quotes and buys one. A gets the notice event at once naming a higher bid,
 * SIGTERM to its job only when the notice runs out, and its lease ends reclaimed, charged for
 * the seconds delivered, owed no credit (its notice was kept); B's lease starts then.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { callUnary } from '@gantry/grpc';
import {
  JobState,
  LeaseProduct,
  LeaseState,
  type Lease,
  type LeaseRequest,
  type Offer,
} from '@gantry/proto';
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
const INTERRUPTIBLE = LeaseProduct.LEASE_PRODUCT_INTERRUPTIBLE;

describe('the GPU market, live: a higher bid', () => {
  let cluster: Cluster;
  let admin: GantryClient;
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
    marks = path.join(cluster.workDir, 'marks');
    writeFileSync(marks, '');
  });

  afterEach(async () => {
    await cluster.destroy();
  });

  async function renter(name: string): Promise<GantryClient> {
    const { apiKey } = await callUnary(
      admin.admin,
      'createRenter',
      { name, spendLimitMicros: 0 },
      admin.metadata,
      TIMEOUT_MS,
    );
    await callUnary(
      admin.admin,
      'topUp',
      { renter: name, amountMicros: 100_000_000, idempotencyKey: `topup-${name}`, note: 'e2e' },
      admin.metadata,
      TIMEOUT_MS,
    );
    return cluster.client(undefined, apiKey);
  }

  const request = (bid: number): LeaseRequest => ({
    product: INTERRUPTIBLE,
    gpuModel: 'H100-80GB',
    gpus: 4,
    nodes: 1,
    duration: { seconds: 3600, nanos: 0 },
    bidMicrosPerGpuHour: bid,
    fabricDomain: '',
  });

  const offers = async (client: GantryClient): Promise<Offer[]> =>
    (
      await callUnary(
        client.rental,
        'listOffers',
        { gpuModel: 'H100-80GB', product: INTERRUPTIBLE },
        client.metadata,
        TIMEOUT_MS,
      )
    ).offers;

  const getLease = async (client: GantryClient, id: string): Promise<Lease> =>
    (await callUnary(client.rental, 'getLease', { leaseId: id }, client.metadata, TIMEOUT_MS))
      .lease!;

  async function buy(client: GantryClient, bid: number, key: string): Promise<Lease> {
    const { lease } = await callUnary(
      client.rental,
      'createLease',
      { lease: request(bid), idempotencyKey: key },
      client.metadata,
      TIMEOUT_MS,
    );
    return lease!;
  }

  const active = (client: GantryClient, id: string) =>
    eventually('the lease to start', async () => {
      const lease = await getLease(client, id);
      return lease.state === LeaseState.LEASE_STATE_ACTIVE ? lease : undefined;
    });

  const mark = (kind: string) => readMark(marks, kind);

  it('displaces the lowest bid after its full notice; the renter outbid pays what it used, owed no credit', async () => {
    const alice = await renter('alice');
    const carol = await renter('carol');

    // Alice holds all four GPUs at the floor and runs a job that notes SIGTERM.
    const forSale = await eventually('an interruptible offer', async () =>
      (await offers(alice)).find((o) => !o.outbid),
    );
    const floor = forSale.priceMicrosPerGpuHour;
    const held = await active(alice, (await buy(alice, floor, 'alice-1')).id);
    const script =
      `echo "start $(date +%s%3N)" >> ${marks}; ` +
      `trap 'echo "sigterm $(date +%s%3N)" >> ${marks}; exit 143' TERM; ` +
      'while true; do sleep 0.1; done';
    const job = await alice.submit(commandSpec(['sh', '-c', script], 2, { leaseId: held.id }));
    await alice.waitForState(job.id, [JobState.JOB_STATE_RUNNING], 30_000);

    // Nothing is free now; Alice's GPUs are offered to a bid a cent above hers.
    const outbid = await eventually('an outbid offer', async () => {
      const list = await offers(carol);
      return list.some((o) => !o.outbid) ? undefined : list.find((o) => o.outbid);
    });
    expect(outbid).toMatchObject({ gpus: 4, maxGpusPerNode: 4 });
    const price = outbid.priceMicrosPerGpuHour;
    expect(price).toBe((Math.round(floor / 10_000) + 1) * 10_000);
    const quote = await callUnary(
      carol.rental,
      'quote',
      { lease: request(price) },
      carol.metadata,
      TIMEOUT_MS,
    );
    expect(quote).toMatchObject({ available: true, outbids: true });
    const equal = await callUnary(
      carol.rental,
      'quote',
      { lease: request(floor) },
      carol.metadata,
      TIMEOUT_MS,
    );
    expect(equal).toMatchObject({ available: false, outbids: false });

    const bought = await buy(carol, price, 'carol-1');
    expect(bought.state).toBe(LeaseState.LEASE_STATE_PENDING);

    const events = await leaseEvents(alice, held.id); // ends once Alice's lease has ended
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['started', 'notice', 'reclaimed', 'ended']),
    );
    const notice = events.find((e) => e.type === 'notice')!;
    expect(notice.message).toContain('a higher bid needs its GPUs');
    const noticeAt = notice.time!.getTime();
    const noticeEnd = noticeAt + NOTICE_SECONDS * 1000;
    expect(notice.noticeEndTime!.getTime()).toBe(noticeEnd);
    // SIGTERM came to Alice's job only once the notice ran out (read once the job has ended:
    // the lease ends before its jobs get their stop orders).
    const ended = await alice.waitForState(job.id, [JobState.JOB_STATE_CANCELLED], 30_000);
    expect(ended.message).toContain('reclaimed');
    expect(mark('sigterm')).toBeGreaterThanOrEqual(noticeEnd - 250);

    // Carol's lease starts on the GPUs Alice gave back, not before her notice ran out.
    const started = await active(carol, bought.id);
    expect(started.startTime!.getTime()).toBeGreaterThanOrEqual(noticeEnd - 250);
    expect(started.priceMicrosPerGpuHour).toBe(price);

    const final = await getLease(alice, held.id);
    expect(final).toMatchObject({ state: LeaseState.LEASE_STATE_ENDED, endReason: 'reclaimed' });
    expect(final.message).toContain('a higher bid');
    expect(final.creditedMicros).toBe(0);
    expect(final.gpuSeconds).toBeGreaterThan(0);
    expect(final.chargedMicros).toBe(
      Math.floor((final.gpuSeconds * final.priceMicrosPerGpuHour) / 3600 + 0.5),
    );
    const statement = await callUnary(
      alice.rental,
      'getStatement',
      { leaseId: held.id },
      alice.metadata,
      TIMEOUT_MS,
    );
    const charged = statement.lines.filter((l) => l.kind === 'charge');
    expect(charged.reduce((sum, l) => sum - l.amountMicros, 0)).toBe(final.chargedMicros);
    expect(statement.lines.filter((l) => l.kind === 'credit')).toEqual([]);
  });
});
