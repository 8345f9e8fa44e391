/**
 * `npm run bench:cycle`: one policy cycle at scale. For each registered policy (FIFO, the
 * baseline, first and in the same run) on the same seeded world (cycle-world.ts: 10,000 nodes,
 * 80,000 GPUs, 100,000 pending jobs, 50 queues): `--warmup` cycles, then `--cycles` measured
 * ones, the world advancing after each decision. Prints placements per second (placements /
 * time inside decide()), p50/p99 cycle time (wall) and CPU time, with ratios to FIFO's, and
 * whether the targets hold (>= 5,000 placements/s, p99 <= 100 ms). The world starts ~30% busy:
 * its first cycles fill the cluster (~18,500, ~17,000 and ~3,000 placements, then ~550 a cycle
 * as jobs end), so the default warm-up is those 5 cycles, whose times are printed apart; and
 * 100 measured cycles, so that p99 is not simply the slowest of a few. Between two cycles the event
 * loop turns once (as in the control plane, whose leader loop awaits the store and a timer
 * between cycles): V8 runs the garbage collector's pending tasks then, not inside the next
 * cycle, which a tight synchronous loop forced on it. Each policy runs in a process of its own
 * (this script again, with `--child`), as it would run alone in the control plane: a policy
 * measured after another in one process met the collector clearing the other's world.
 *   --cycles 100   --warmup 5   --seed 1   --policy gantry   --markdown   (--child NAME: one policy, JSON)
 */
import { execFileSync } from 'node:child_process';
import { createPolicy, mulberry32, percentiles } from '@gantry/scheduling';
import {
  benchPolicies,
  cpuMs,
  fixed,
  markdown,
  numberFlag,
  parseFlags,
  table,
  whole,
} from './bench-kit';
import { CycleWorld } from './cycle-world';

interface Measured {
  readonly policy: string;
  readonly placements: number;
  readonly seconds: number;
  readonly cycleMs: number[];
  readonly cpuMsPerCycle: number;
  /** The warm-up cycles (the cluster filling from ~30% busy): their times and placements. */
  readonly warmupMs: number[];
  readonly warmupPlacements: number[];
}

async function measure(
  name: string,
  seed: number,
  cycles: number,
  warmup: number,
): Promise<Measured> {
  const world = new CycleWorld(mulberry32(seed), {
    nodes: 10_000,
    pending: 100_000,
    busyFraction: 0.3,
  });
  const policy = createPolicy(name);
  const cycleMs: number[] = [];
  const warmupMs: number[] = [];
  const warmupPlacements: number[] = [];
  let placements = 0;
  let cpu = 0;
  for (let c = 0; c < warmup + cycles; c++) {
    const [wall0, cpu0] = [performance.now(), cpuMs()];
    const decision = policy.decide(world.snapshot);
    const [wall1, cpu1] = [performance.now(), cpuMs()];
    if (c >= warmup) {
      cycleMs.push(wall1 - wall0);
      cpu += cpu1 - cpu0;
      placements += decision.placements.length;
    } else {
      warmupMs.push(wall1 - wall0);
      warmupPlacements.push(decision.placements.length);
    }
    world.advance(decision);
    await new Promise((turned) => setImmediate(turned));
  }
  const seconds = cycleMs.reduce((a, b) => a + b, 0) / 1000;
  const cpuMsPerCycle = cpu / cycles;
  return { policy: name, placements, seconds, cycleMs, cpuMsPerCycle, warmupMs, warmupPlacements };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2), [
    'cycles',
    'warmup',
    'seed',
    'policy',
    'markdown',
    'child',
  ]);
  const cycles = numberFlag(flags, 'cycles', 100);
  const warmup = numberFlag(flags, 'warmup', 5);
  const seed = numberFlag(flags, 'seed', 1);
  const child = flags.get('child');
  if (child) {
    process.stdout.write(JSON.stringify(await measure(child, seed, cycles, warmup)));
    return;
  }
  const results: Measured[] = [];
  for (const name of benchPolicies(flags)) {
    process.stderr.write(`${name}: ${warmup} warm-up + ${cycles} measured cycles...\n`);
    const args = [__filename, '--child', name, '--seed', `${seed}`, '--cycles', `${cycles}`];
    const out = execFileSync(process.execPath, [...args, '--warmup', `${warmup}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    results.push(JSON.parse(out) as Measured);
  }
  const base = results[0]!;
  const rate = (r: Measured) => (r.seconds > 0 ? r.placements / r.seconds : 0);
  const rows = [
    [
      'policy',
      'placements/cycle',
      'placements/s',
      'p50 cycle (ms)',
      'p99 cycle (ms)',
      'CPU ms/cycle',
      'placements/s vs fifo',
      'p99 vs fifo',
      'targets',
    ],
    ...results.map((r) => {
      const [p50, p99] = percentiles(r.cycleMs, [50, 99]) as [number, number];
      const [, baseP99] = percentiles(base.cycleMs, [50, 99]) as [number, number];
      const meets = rate(r) >= 5000 && p99 <= 100;
      return [
        r.policy,
        whole(r.placements / cycles),
        whole(rate(r)),
        fixed(1)(p50),
        fixed(1)(p99),
        fixed(1)(r.cpuMsPerCycle),
        fixed(2)(rate(base) > 0 ? rate(r) / rate(base) : null),
        fixed(2)(baseP99 > 0 ? p99 / baseP99 : null),
        meets ? 'met' : 'missed',
      ];
    }),
  ];
  process.stdout.write(
    `Policy cycle: 10,000 nodes, 80,000 GPUs (~30% busy), 100,000 pending jobs, 50 queues; seed ${seed}; ${cycles} cycles after ${warmup} warm-up\n`,
  );
  process.stdout.write(`${flags.has('markdown') ? markdown(rows) : table(rows)}\n`);
  for (const r of results)
    if (r.warmupMs.length > 0)
      process.stdout.write(
        `${r.policy} warm-up (filling): ${r.warmupMs.map((ms, c) => `${whole(r.warmupPlacements[c]!)} placed in ${fixed(0)(ms)} ms`).join(', ')}\n`,
      );
}

void main();
