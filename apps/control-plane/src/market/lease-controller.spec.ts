import { LEASE_CLASS, LEASE_QUEUE, topUpPosting, type LeaseRecord } from '@gantry/domain';
import type { CycleWrite } from '@gantry/store';
import { aLease } from '../testing/a-lease';
import { controlPlaneParts, T0 } from '../testing/parts';
import { LeaseBilling } from './lease-billing';
import { LeaseController } from './lease-controller';
import { ADMIN_SCOPE, LeaseJobs } from './lease-jobs';
import { MarketSetup } from './market-setup';

const NOTICE_SECONDS = 120;
/** $3.60 per GPU-hour: a GPU-second costs 1,000 micro-dollars. */
const PRICE = 3_600_000;

const cycle = (fields: Partial<CycleWrite>): CycleWrite => ({
  placements: [],
  waiting: [],
  preemptions: [],
  nominations: [],
  dependencyFailures: [],
  ...fields,
});

async function aMarket(balance = 100_000_000) {
  const parts = controlPlaneParts({ leaseNoticeSeconds: NOTICE_SECONDS });
  const { renter } = await parts.renters.createRenter('acme', 0, T0);
  const tenantId = renter.tenant.id;
  if (balance > 0) await parts.ledger.post(topUpPosting(tenantId, balance, 'top', ''), T0);
  const setup = new MarketSetup(parts.policy, parts.config, parts.clock, parts.logger);
  await setup.onApplicationBootstrap();
  const leaseJobs = new LeaseJobs(
    parts.jobs,
    parts.leases,
    parts.dispatch,
    parts.config,
    parts.clock,
    parts.effects,
  );
  const billing = new LeaseBilling(parts.leases, parts.ledger, parts.config, parts.logger);
  const controller = new LeaseController(
    parts.leases,
    parts.nodes,
    parts.clock,
    parts.logger,
    leaseJobs,
    billing,
    setup,
  );
  const lease = (): Promise<LeaseRecord> => parts.leases.get(ADMIN_SCOPE, 'lease_1');
  const events = async () => (await parts.leases.events('lease_1', 0)).map((e) => e.type);
  let fence = 0;
  /** The scheduler places the lease job and its agent reports it started. */
  const holderStarts = async () => {
    const { jobId } = await lease();
    await parts.jobs.commitCycle(
      ++fence,
      cycle({
        placements: [
          {
            jobId: jobId!,
            allocations: [{ nodeId: 'node_a', nodeName: 'node-a', gpuIndices: [0, 1] }],
          },
        ],
      }),
      parts.clock.now(),
    );
    await parts.jobs.applyTaskEvents(
      'node_a',
      [
        {
          jobId: jobId!,
          attempt: 1,
          rank: 0,
          sequence: 1,
          report: { type: 'started', backend: 'lease' },
        },
      ],
      parts.clock.now(),
      3,
    );
  };
  /** The policy reclaims the lease's GPUs. */
  const policyPreempts = async () => {
    const { jobId } = await lease();
    await parts.jobs.commitCycle(
      ++fence,
      cycle({
        preemptions: [{ jobId: jobId!, attempt: 1, message: 'preempted for job_internal' }],
      }),
      parts.clock.now(),
    );
  };
  /** The lease holder exits (at the notice's end, or lost early). */
  const holderExits = async () => {
    const { jobId } = await lease();
    await parts.jobs.applyTaskEvents(
      'node_a',
      [
        {
          jobId: jobId!,
          attempt: 1,
          rank: 0,
          sequence: 2,
          report: {
            type: 'exited',
            exitCode: -1,
            signal: 'SIGKILL',
            reason: 'NodeLost',
            message: 'lost',
          },
        },
      ],
      parts.clock.now(),
      3,
    );
  };
  return { parts, tenantId, controller, lease, events, holderStarts, policyPreempts, holderExits };
}

const interruptible = (tenantId: string) =>
  aLease({
    id: 'lease_1',
    tenantId,
    product: 'interruptible',
    gpus: 2,
    pricePerGpuHour: PRICE,
    state: 'pending',
    startedAt: null,
    meteredUntil: null,
    noticeSeconds: NOTICE_SECONDS,
  });

describe('LeaseController', () => {
  it('submits the lease job in the market queue and class, then starts the lease when it runs', async () => {
    const m = await aMarket();
    m.parts.leases.add(interruptible(m.tenantId));
    await m.controller.run();
    const { jobId } = await m.lease();
    const job = m.parts.jobs.job(jobId!);
    expect(job.spec).toMatchObject({
      queue: LEASE_QUEUE.interruptible,
      priorityClass: LEASE_CLASS.interruptible,
      resources: { gpus: 2, nodes: 1 },
      workload: { kind: 'lease', leaseId: 'lease_1' },
    });
    await m.controller.run(); // still pending: nothing changes
    expect((await m.lease()).state).toBe('pending');

    m.parts.clock.advance(5_000);
    await m.holderStarts();
    await m.controller.run();
    expect(await m.lease()).toMatchObject({ state: 'active', startedAt: T0 + 5_000 });
    expect(await m.events()).toEqual(['started']);
  });

  it('charges each whole minute delivered, on its own clock', async () => {
    const m = await aMarket();
    m.parts.leases.add(interruptible(m.tenantId));
    await m.controller.run();
    await m.holderStarts();
    await m.controller.run();
    m.parts.clock.advance(119_000);
    await m.controller.run();
    // One whole minute of 2 GPUs at 1,000 micro-dollars a GPU-second.
    expect(await m.lease()).toMatchObject({ gpuSeconds: 120, chargedMicros: 120_000 });
    await m.controller.run(); // the same minute is not charged twice
    expect((await m.lease()).chargedMicros).toBe(120_000);
  });

  it('gives notice from the policy’s decision, ends the lease at its end and owes no credit', async () => {
    const m = await aMarket();
    m.parts.leases.add(interruptible(m.tenantId));
    await m.controller.run();
    await m.holderStarts();
    await m.controller.run();
    m.parts.clock.advance(30_000);
    await m.policyPreempts();
    const decidedAt = m.parts.clock.now();
    m.parts.clock.advance(400); // the controller sees it a loop later
    await m.controller.run();
    expect(await m.lease()).toMatchObject({
      state: 'notice',
      noticeEndsAt: decidedAt + NOTICE_SECONDS * 1000,
    });
    const notice = (await m.parts.leases.events('lease_1', 0)).find((e) => e.type === 'notice')!;
    expect(notice.time).toBe(decidedAt);
    // The renter learns the kind of demand, not the internal job's id.
    expect(notice.message).toBe(`reclaimed in ${NOTICE_SECONDS} s: internal work needs its GPUs`);

    m.parts.clock.set(decidedAt + NOTICE_SECONDS * 1000);
    await m.controller.run();
    const ended = await m.lease();
    expect(ended).toMatchObject({ state: 'ended', endReason: 'reclaimed', creditedMicros: 0 });
    // Delivered from its start to its end, to the second.
    expect(ended.gpuSeconds).toBe(((ended.endedAt! - ended.startedAt!) / 1000) * 2);
    expect(await m.events()).toEqual(expect.arrayContaining(['notice', 'reclaimed', 'ended']));
    expect(await m.events()).not.toContain('credited');
  });

  it('credits the notice not given when the GPUs are lost during it', async () => {
    const m = await aMarket();
    m.parts.leases.add(interruptible(m.tenantId));
    await m.controller.run();
    await m.holderStarts();
    await m.controller.run();
    await m.policyPreempts();
    await m.controller.run();
    m.parts.clock.advance(20_000);
    await m.holderExits();
    await m.controller.run();
    // 100 of the 120 s of notice were not given, on 2 GPUs.
    expect(await m.lease()).toMatchObject({
      state: 'ended',
      endReason: 'reclaimed',
      creditedMicros: 100 * 2 * 1000,
    });
    expect(await m.events()).toContain('credited');
  });

  it('ends the lease unfunded when the balance cannot pay the next minute', async () => {
    const m = await aMarket(100_000); // pays 50 GPU-seconds, less than a minute of 2 GPUs
    m.parts.leases.add(interruptible(m.tenantId));
    await m.controller.run();
    await m.holderStarts();
    await m.controller.run();
    m.parts.clock.advance(60_000);
    await m.controller.run();
    expect(await m.lease()).toMatchObject({ state: 'ended', endReason: 'unfunded' });
    const { jobId } = await m.lease();
    expect(m.parts.jobs.job(jobId!).state).toBe('cancelling');
  });
});
