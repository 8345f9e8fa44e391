import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExitCode } from '../errors/exit-codes';
import { runCli } from '../run-cli';
import { fakeEnvironment } from '../testing/fake-environment';

// A tiny ITP-format trace: on one node of 4 GPUs, FIFO blocks b behind a; c waits behind b.
const dir = mkdtempSync(path.join(tmpdir(), 'gantry-simulate-'));
const trace = path.join(dir, 'tiny.csv');
writeFileSync(
  trace,
  'job_id,submission_time,duration,num_gpu\na,100,100,2\nb,100,50,4\nc,110,30,1\n',
);
const cluster = path.join(dir, 'cluster.json');
writeFileSync(cluster, JSON.stringify({ groups: [{ nodes: 1, gpusPerNode: 4, model: 'V100' }] }));

describe('gantry simulate', () => {
  it('prints the figures of each policy', async () => {
    const { env, stdout } = fakeEnvironment({});
    await expect(
      runCli(['simulate', '--trace', trace, '--cluster', '1x4xV100', '--policy', 'fifo'], env),
    ).resolves.toBe(0);
    expect(stdout.text).toContain('trace tiny.csv: 3 jobs');
    expect(stdout.text).toMatch(/avg JCT \(s\)\s+140\n/); // (100 + 150 + 170) / 3
    expect(stdout.text).toMatch(/makespan \(s\)\s+180\n/);
  });

  it('prints JSON with -o json, the same for the same seed, and writes the HTML page', async () => {
    const html = path.join(dir, 'out.html');
    const args = [
      'simulate',
      '--trace',
      trace,
      '--cluster',
      cluster,
      '--policy',
      'fifo',
      '--seed',
      '3',
      '-o',
      'json',
    ];
    const first = fakeEnvironment({});
    await expect(runCli([...args, '--html', html], first.env)).resolves.toBe(0);
    const second = fakeEnvironment({});
    await runCli(args, second.env);
    const strip = (text: string) => {
      const report = JSON.parse(text) as {
        policies: { figures: Record<string, number>; wallSeconds: unknown }[];
      };
      for (const p of report.policies) {
        p.figures.cycleCpuMsAvg = 0;
        p.figures.cycleCpuMsP99 = 0;
        p.wallSeconds = null;
      }
      return report;
    };
    const report = strip(first.stdout.text);
    expect(report).toEqual(strip(second.stdout.text));
    expect(report).toMatchObject({
      input: { trace: 'tiny.csv', seed: 3, gpus: 4 },
      baseline: 'fifo',
    });
    expect(report.policies[0]!.figures.makespan).toBe(180);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg [\s\S]*<\/html>\n$/);
  });

  it('reads named traces from GANTRY_TRACES_DIR', async () => {
    mkdirSync(path.join(dir, 'itp'), { recursive: true });
    writeFileSync(path.join(dir, 'itp', 'cluster01.csv'), readFileSync(trace));
    const { env, stdout } = fakeEnvironment({}, { config: { tracesDir: dir } });
    const args = [
      'simulate',
      '--trace',
      'itp/cluster01',
      '--cluster',
      '1x4xV100',
      '--policy',
      'fifo',
    ];
    await expect(runCli(args, env)).resolves.toBe(0);
    expect(stdout.text).toContain('trace itp/cluster01: 3 jobs');
    const missing = fakeEnvironment({}, { config: { tracesDir: dir } });
    await expect(runCli([...args.slice(0, 2), 'itp/cluster02'], missing.env)).resolves.toBe(
      ExitCode.Usage,
    );
    expect(missing.stderr.text).toContain(
      `${path.join(dir, 'itp', 'cluster02.csv')} does not exist`,
    );
  });

  it.each([
    [['--cluster', '4xV100'], /--cluster: cluster '4xV100': '4xV100' is not NODESxGPUSxMODEL/],
    [['--load', '-1'], /--load: must be a number > 0/],
    [['--trace', path.join(dir, 'none.csv')], /--trace: .*none.csv does not exist/],
  ])('exits 2 with one line for %o', async (args, message) => {
    const { env, stderr } = fakeEnvironment({});
    await expect(
      runCli(['simulate', '--trace', trace, '--policy', 'fifo', ...args], env),
    ).resolves.toBe(ExitCode.Usage);
    expect(stderr.text).toMatch(message);
    expect(stderr.text.trim().split('\n')).toHaveLength(1);
  });

  it('replays with renters beside each policy with --renters, in text and JSON', async () => {
    const args = ['simulate', '--trace', trace, '--cluster', '1x4xV100', '--policy', 'gantry'];
    const text = fakeEnvironment({});
    await expect(runCli([...args, '--renters', 'rate=3600,seed=4'], text.env)).resolves.toBe(0);
    expect(text.stdout.text).toContain(
      'renters: 3600 interruptible lease requests/h (Poisson), seed 4',
    );
    expect(text.stdout.text).toMatch(/market \(replay with renters vs without\)\s+gantry\n/);
    expect(text.stdout.text).toMatch(/sold \/ idle \(target >= 80%\)\s+\d+\.\d% (met|MISSED)\n/);
    expect(text.stdout.text).toMatch(
      /reclaims neither noticed nor credited \(target 0\)\s+0 met\n/,
    );
    const json = fakeEnvironment({});
    await expect(runCli([...args, '--renters', '-o', 'json'], json.env)).resolves.toBe(0);
    const report = JSON.parse(json.stdout.text) as {
      input: { renters: { ratePerHour: number } };
      policies: { market: { figures: Record<string, unknown>; internal: { jobs: number } } }[];
    };
    expect(report.input.renters.ratePerHour).toBe(360);
    const market = report.policies[0]!.market;
    expect(market.internal.jobs).toBe(3);
    expect(Object.keys(market.figures)).toEqual(
      expect.arrayContaining([
        'idleGpuHoursWithout',
        'soldGpuHours',
        'soldShareOfIdle',
        'internalAvgQueueDelayWithout',
        'internalAvgQueueDelayWith',
        'queueDelayRatio',
        'reclaims',
        'reclaimsWithFullNotice',
        'reclaimsCredited',
        'reclaimsUnnoticedUncredited',
        'targets',
      ]),
    );
  });

  it('shows a progress bar on a terminal only', async () => {
    const tty = fakeEnvironment({});
    Object.assign(tty.stderr, { isTTY: true });
    await runCli(
      ['simulate', '--trace', trace, '--cluster', '1x4xV100', '--policy', 'fifo'],
      tty.env,
    );
    expect(tty.stderr.text).toContain('100% fifo: 3/3 jobs ended');
    const pipe = fakeEnvironment({});
    await runCli(
      ['simulate', '--trace', trace, '--cluster', '1x4xV100', '--policy', 'fifo'],
      pipe.env,
    );
    expect(pipe.stderr.text).toBe('');
  });
});
