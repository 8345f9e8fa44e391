import { JobState } from '@gantry/proto';
import { writeLine, type OutputStream } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { isTerminalState } from '../format/states';
import { checkDemo } from './demo-check';
import { allEnded, DemoSession, type SessionDeps } from './demo-session';
import { renderSummary, summarize } from './demo-summary';
import { fillerJobs, mainJobs, type ClusterShape } from './demo-workload';
import { runInferenceDemo, type PartVerdict } from './run-inference';

export interface DemoDeps {
  readonly api: Pick<GantryApi, 'submitJob' | 'getJob' | 'uploadFile' | 'downloadFile'>;
  readonly out: OutputStream;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A reason to stop early (Ctrl-C, a process of the cluster died). */
  aborted(): string | undefined;
  readonly pollMs?: number;
  /** For both parts together. */
  readonly timeoutMs?: number;
  /** Where the inference part writes its input files; default the OS's temporary folder. */
  readonly tmpDir?: string;
}

/**
 * Part 1, scheduling: 1. fill every node past half; 2. once those run, submit a whole-node job
 * and smaller ones behind it; 3. poll until every job has ended; 4. print a summary and check
 * the run.
 */
async function runSchedulingDemo(shape: ClusterShape, deps: SessionDeps): Promise<PartVerdict> {
  const session = new DemoSession(deps, 'demo');
  const fillers = fillerJobs(shape);
  writeLine(
    deps.out,
    `demo, part 1: ${fillers.length} job(s) take ${fillers[0]?.gpus ?? 0} of ${shape.gpusPerAgent} GPUs on every node; ` +
      'then a whole-node job waits while smaller ones run',
  );
  for (const demo of fillers) await session.submit(demo);
  let interrupted = await session.until((jobs) =>
    jobs.every((j) => j.state === JobState.JOB_STATE_RUNNING || isTerminalState(j.state)),
  );
  if (!interrupted) {
    for (const demo of mainJobs(shape)) await session.submit(demo);
    interrupted = await session.until(allEnded);
  }
  session.finish();
  const summary = summarize(session.observations, deps.startedAt, deps.now());
  writeLine(deps.out, `\n${renderSummary(summary)}`);
  return { interrupted, problems: checkDemo(session.observations).problems };
}

/**
 * The `gantry up --demo` workload: part 1 shows scheduling (a whole-node job waits while smaller
 * ones run, no head-of-line blocking), part 2 runs one job of each inference kind and prints what
 * they produced. Each part shows a live table on a terminal (plain lines otherwise). Returns
 * whether the cluster behaved as expected.
 */
export async function runDemo(shape: ClusterShape, deps: DemoDeps): Promise<boolean> {
  const startedAt = deps.now();
  const deadline = startedAt + (deps.timeoutMs ?? 5 * 60_000);
  const session: SessionDeps = {
    api: deps.api,
    out: deps.out,
    now: () => deps.now(),
    sleep: (ms) => deps.sleep(ms),
    aborted: () => deps.aborted(),
    stopReason: () => deps.aborted() ?? (deps.now() > deadline ? 'the demo timed out' : undefined),
    pollMs: deps.pollMs ?? 300,
    startedAt,
  };
  const scheduling = await runSchedulingDemo(shape, session);
  const inference = scheduling.interrupted
    ? undefined
    : await runInferenceDemo({ ...session, api: deps.api, tmpDir: deps.tmpDir });
  const interrupted = scheduling.interrupted ?? inference?.interrupted;
  const problems = [...scheduling.problems, ...(inference?.problems ?? [])];
  if (interrupted) writeLine(deps.out, `demo stopped early: ${interrupted}`);
  if (problems.length === 0 && !interrupted)
    writeLine(
      deps.out,
      'demo OK: the cluster behaved as expected, and each inference kind produced what it should',
    );
  else for (const problem of problems) writeLine(deps.out, `demo problem: ${problem}`);
  return problems.length === 0 && !interrupted;
}
