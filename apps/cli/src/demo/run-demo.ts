import { parseJobSpec } from '@gantry/domain';
import { JobState, type Job } from '@gantry/proto';
import { writeLine, type OutputStream } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { isTerminalState } from '../format/states';
import { toProtoSpec } from '../spec/proto-spec';
import { LiveArea } from '../watch/live-area';
import { checkDemo } from './demo-check';
import { renderSummary, summarize } from './demo-summary';
import { firstObservation, observe, type Observation } from './demo-tracker';
import { changeLine, demoTable } from './demo-view';
import { fillerJobs, mainJobs, type ClusterShape, type DemoJob } from './demo-workload';

export interface DemoDeps {
  readonly api: Pick<GantryApi, 'submitJob' | 'getJob'>;
  readonly out: OutputStream;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A reason to stop early (Ctrl-C, a process of the cluster died). */
  aborted(): string | undefined;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

/**
 * The `gantry up --demo` workload, step by step: 1. fill every node past half; 2. once those
 * run, submit a whole-node job and smaller ones behind it; 3. poll until every job has ended,
 * showing a live table (or plain lines); 4. print a summary and check the run. Returns whether
 * the cluster behaved as expected.
 */
export async function runDemo(shape: ClusterShape, deps: DemoDeps): Promise<boolean> {
  const pollMs = deps.pollMs ?? 300;
  const deadline = deps.now() + (deps.timeoutMs ?? 5 * 60_000);
  const startedAt = deps.now();
  const live = deps.out.isTTY ? new LiveArea(deps.out, () => deps.now()) : undefined;
  let observations: Observation[] = [];

  const submit = async (demo: DemoJob) => {
    const { job } = await deps.api.submitJob({
      spec: toProtoSpec(parseJobSpec(demo.spec)),
      idempotencyKey: `demo-${startedAt}-${demo.name}`,
    });
    if (!job) throw new Error(`no job in the reply to ${demo.name}`);
    observations.push(firstObservation(demo, job));
  };
  const poll = async () => {
    const next = await Promise.all(
      observations.map(async (o) =>
        isTerminalState(o.job.state) ? o : observe(o, await deps.api.getJob(o.id)),
      ),
    );
    const elapsed = deps.now() - startedAt;
    if (live) live.render(demoTable(next, elapsed));
    else
      next.forEach((o, i) => {
        const line = changeLine(
          observations[i]?.id === o.id ? observations[i] : undefined,
          o,
          elapsed,
        );
        if (line) writeLine(deps.out, line);
      });
    observations = next;
  };
  const stopReason = () =>
    deps.aborted() ?? (deps.now() > deadline ? 'the demo timed out' : undefined);
  const until = async (done: (jobs: readonly Job[]) => boolean) => {
    for (;;) {
      try {
        await poll();
      } catch (error) {
        // A forced stop (second Ctrl-C) takes the control plane away mid-poll.
        const reason = deps.aborted();
        if (reason) return reason;
        throw error;
      }
      const reason = stopReason();
      if (reason) return reason;
      if (done(observations.map((o) => o.job))) return undefined;
      await deps.sleep(pollMs);
    }
  };

  const fillers = fillerJobs(shape);
  writeLine(
    deps.out,
    `demo: ${fillers.length} job(s) take ${fillers[0]?.gpus ?? 0} of ${shape.gpusPerAgent} GPUs on every node; ` +
      'then a whole-node job waits while smaller ones run',
  );
  for (const demo of fillers) await submit(demo);
  let interrupted = await until((jobs) =>
    jobs.every((j) => j.state === JobState.JOB_STATE_RUNNING || isTerminalState(j.state)),
  );
  if (!interrupted) {
    for (const demo of mainJobs(shape)) await submit(demo);
    interrupted = await until((jobs) => jobs.every((j) => isTerminalState(j.state)));
  }
  live?.render(demoTable(observations, deps.now() - startedAt), true);

  writeLine(deps.out, `\n${renderSummary(summarize(observations, startedAt, deps.now()))}`);
  const verdict = checkDemo(observations);
  if (interrupted) writeLine(deps.out, `demo stopped early: ${interrupted}`);
  if (verdict.ok && !interrupted) writeLine(deps.out, 'demo OK: the cluster behaved as expected');
  else for (const problem of verdict.problems) writeLine(deps.out, `demo problem: ${problem}`);
  return verdict.ok && !interrupted;
}
