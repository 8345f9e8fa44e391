import { parseJobSpec, ValidationError, type JobSpec, type LeaseRecord } from '@gantry/domain';

const A_LEASE: LeaseRecord = {
  id: '',
  tenantId: '',
  product: 'interruptible',
  gpuModel: 'H100-80GB',
  gpus: 2,
  nodes: 1,
  fabricDomain: null,
  pricePerGpuHour: 1_000_000,
  state: 'active',
  endReason: null,
  message: '',
  createdAt: 0,
  startedAt: 0,
  expiresAt: 3_600_000,
  endedAt: null,
  durationSeconds: 3600,
  noticeSeconds: 120,
  noticeEndsAt: null,
  windowStartsAt: null,
  jobId: null,
  meteredUntil: 0,
  gpuSeconds: 0,
  chargedMicros: 0,
  creditedMicros: 0,
  idempotencyKey: null,
};
import { aSpec, type SpecOptions } from '../testing/job-records';
import { controlPlaneParts } from '../testing/parts';
import { SubmitValidator } from './submit-validator';

function setUp() {
  const parts = controlPlaneParts();
  parts.policy.add(
    { name: 'org', parent: null, guaranteed: {}, max: {}, weight: 1 },
    { name: 'team-a', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
    { name: 'team-b', parent: 'org', guaranteed: {}, max: {}, weight: 1 },
  );
  return {
    ...parts,
    validator: new SubmitValidator(parts.policy, parts.files, parts.renters, parts.leases),
  };
}

async function violations(check: Promise<void>): Promise<string[]> {
  try {
    await check;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).violations.map((v) => `${v.field}: ${v.message}`);
  }
  return [];
}

const spec = (options: SpecOptions): JobSpec => aSpec(options);
const ALICE = { tenantId: 'ten_alice', admin: false };
const BOB = { tenantId: 'ten_bob', admin: false };
const FILE = `file_${'0'.repeat(10)}${'a'.repeat(16)}`;
const PARENT = `job_${'0'.repeat(10)}${'b'.repeat(16)}`;

const batch = (fileId = FILE): JobSpec =>
  parseJobSpec({
    resources: { gpus: 1 },
    inference_batch: {
      model: 'm',
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
    },
  });

describe('SubmitValidator', () => {
  it('accepts a leaf queue, and the default queue', async () => {
    const { validator } = setUp();
    expect(await violations(validator.check(spec({ queue: 'team-a' }), ALICE))).toEqual([]);
    expect(await violations(validator.check(spec({}), ALICE))).toEqual([]);
  });

  it('names an unknown queue, and a queue with children naming them', async () => {
    const { validator } = setUp();
    expect(await violations(validator.check(spec({ queue: 'team-c' }), ALICE))).toEqual([
      'spec.queue: no queue named "team-c" (see gantry queues list)',
    ]);
    expect(await violations(validator.check(spec({ queue: 'org' }), ALICE))).toEqual([
      'spec.queue: "org" has child queues; submit to one of them: team-a, team-b',
    ]);
  });

  it('accepts a batch job whose input file is the tenant’s, and names it otherwise', async () => {
    const { validator, files } = setUp();
    await files.insert({
      id: FILE,
      tenantId: ALICE.tenantId,
      filename: 'r.jsonl',
      purpose: 'input',
      bytes: 10,
      sha256: '',
      lines: 1,
      storageKey: `files/${FILE}`,
      jobId: null,
      createdAt: 0,
    });
    expect(await violations(validator.check(batch(), ALICE))).toEqual([]);
    const missing = [
      `spec.inference_batch.input_file_id: no file ${FILE} (upload it with gantry files upload)`,
    ];
    expect(await violations(validator.check(batch(), BOB))).toEqual(missing);
  });

  it('refuses a shard from a user, and an array of batch jobs', async () => {
    const { validator } = setUp();
    const shard = parseJobSpec({
      resources: { gpus: 1 },
      shard: {
        parent_job_id: PARENT,
        index: 0,
        count: 1,
        model: 'm',
        endpoint: '/v1/completions',
        requests_key: 'files/x',
        first_line: 0,
        line_count: 1,
        output_prefix: 'jobs/x/',
      },
    });
    expect(await violations(validator.check(shard, ALICE))).toEqual([
      'spec.shard: is made by the control plane; submit a batch or RL job, or buy a lease',
    ]);
    expect(await violations(validator.check(batch(), ALICE, true))).toEqual([
      'array: inference_batch jobs shard themselves (their shards field); they cannot be job arrays',
    ]);
  });

  describe('for renters', () => {
    const LEASE = `lease_${'0'.repeat(10)}${'c'.repeat(16)}`;
    const renterSpec = (fields: Record<string, unknown> = {}) =>
      parseJobSpec({
        command: { argv: ['train'] },
        resources: { gpus: 2 },
        lease_id: LEASE,
        ...fields,
      });

    async function withRenter(lease: Partial<LeaseRecord> = {}) {
      const parts = setUp();
      const { renter } = await parts.renters.createRenter('acme', 0, 0);
      const scope = { tenantId: renter.tenant.id, admin: false };
      parts.leases.add({ ...A_LEASE, id: LEASE, tenantId: renter.tenant.id, ...lease });
      return { ...parts, scope };
    }

    it('accepts a job in its own live lease, no bigger than the lease', async () => {
      const { validator, scope } = await withRenter();
      expect(await violations(validator.check(renterSpec(), scope))).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, Partial<LeaseRecord>, string]>([
      [
        'no lease',
        { lease_id: undefined },
        {},
        'spec.lease_id: is required: a renter runs its jobs in a lease it bought',
      ],
      [
        'an ended lease',
        {},
        { state: 'ended', endReason: 'reclaimed' },
        `spec.lease_id: lease ${LEASE} has ended (reclaimed)`,
      ],
      [
        'a simulated job',
        { command: undefined, simulated: { gpu_seconds: 5 } },
        {},
        'spec.workload: renters run command and inference_batch jobs in their leases',
      ],
      [
        'too many GPUs',
        { resources: { gpus: 4 } },
        {},
        `spec.resources: asks for 1 x 4 GPUs; lease ${LEASE} has 1 x 2`,
      ],
    ])('refuses %s', async (_name, fields, lease, message) => {
      const { validator, scope } = await withRenter(lease);
      expect(await violations(validator.check(renterSpec(fields), scope))).toEqual([message]);
    });

    it('treats another renter’s lease as no lease, and keeps internal tenants out of leases', async () => {
      const { validator, renters } = await withRenter();
      const { renter: other } = await renters.createRenter('other', 0, 0);
      expect(
        await violations(
          validator.check(renterSpec(), { tenantId: other.tenant.id, admin: false }),
        ),
      ).toEqual([`spec.lease_id: no lease ${LEASE}`]);
      expect(await violations(validator.check(renterSpec(), ALICE))).toEqual([
        'spec.lease_id: is for renters: only a renter runs jobs in a lease',
      ]);
    });
  });
});
