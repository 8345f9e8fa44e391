import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { startApiDouble } from '../testing/api-double';
import { fakeEnvironment } from '../testing/fake-environment';
import { LEASE_1 } from '../testing/market-fixtures';
import { doubleLeaseId } from '../testing/market-state';

let dir: string;
let double: Awaited<ReturnType<typeof startApiDouble>>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-submit-lease-'));
  double = await startApiDouble({
    submit: async (request: SubmitJobRequest) => ({
      job: Job.fromPartial({ id: 'job_01', state: JobState.JOB_STATE_PENDING, spec: request.spec }),
      created: true,
      arrayJobIds: [],
    }),
  });
});
afterEach(async () => {
  await double.close();
  await rm(dir, { recursive: true, force: true });
});

async function submit(args: string[]) {
  const env = fakeEnvironment(double.api, { cwd: dir });
  const code = await runCli(['submit', ...args], env.env);
  return { code, stdout: env.stdout.text, stderr: env.stderr.text };
}

describe('gantry submit --lease', () => {
  it("sends the lease id in the job's spec (a renter's job runs inside its lease)", async () => {
    const { code, stdout } = await submit([
      '--lease',
      LEASE_1,
      '--gpus',
      '4',
      '--',
      'python',
      'train.py',
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe('job_01 pending\n');
    expect(double.submitted[0]?.spec).toMatchObject({
      leaseId: LEASE_1,
      resources: { gpus: 4 },
      workload: { $case: 'command', command: { argv: ['python', 'train.py'] } },
    });
  });

  it('leaves lease_id out of a job without --lease', async () => {
    await submit(['--', 'true']);
    expect(double.submitted[0]?.spec?.leaseId).toBeUndefined();
  });

  it('takes lease_id from a spec file, and --lease over it', async () => {
    const path = join(dir, 'train.yaml');
    await writeFile(
      path,
      `lease_id: ${LEASE_1}\nresources: { gpus: 2 }\ncommand: { argv: [python, train.py] }\n`,
    );
    await expect(submit(['-f', path])).resolves.toMatchObject({ code: 0 });
    expect(double.submitted[0]?.spec?.leaseId).toBe(LEASE_1);
    await submit(['-f', path, '--lease', doubleLeaseId(2)]);
    expect(double.submitted[1]?.spec?.leaseId).toBe(doubleLeaseId(2));
  });

  it('refuses a malformed --lease naming the flag (exit 2, nothing sent)', async () => {
    const { code, stderr } = await submit(['--lease', 'job_01', '--', 'true']);
    expect(code).toBe(ExitCode.Usage);
    expect(stderr).toBe(
      "gantry: error: --lease: must be a lease id like lease_01jf... (got 'job_01')\n",
    );
    expect(double.submitted).toEqual([]);
  });

  it("points at the spec file's line for a malformed lease_id, and refuses the lease workload", async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'name: x\nlease_id: nope\ncommand: { argv: ["true"] }\n');
    const malformed = await submit(['-f', bad]);
    expect(malformed.code).toBe(ExitCode.Usage);
    expect(malformed.stderr).toContain('bad.yaml:2');
    expect(malformed.stderr).toContain('must be a lease id (lease_...)');
    const holder = join(dir, 'holder.yaml');
    await writeFile(holder, `lease: { lease_id: ${LEASE_1} }\n`);
    const refused = await submit(['-f', holder]);
    expect(refused.code).toBe(ExitCode.Usage);
    expect(refused.stderr).toContain("is the control plane's own workload for a lease");
    expect(double.submitted).toEqual([]);
  });
});
