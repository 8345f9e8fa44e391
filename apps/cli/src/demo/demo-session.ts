import { parseJobSpec } from '@gantry/domain';
import { type Job } from '@gantry/proto';
import { writeLine, type OutputStream } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { isTerminalState } from '../format/states';
import { toProtoSpec } from '../spec/proto-spec';
import { LiveArea } from '../watch/live-area';
import { firstObservation, observe, type Observation } from './demo-tracker';
import { changeLine, demoTable } from './demo-view';
import { type DemoJob } from './demo-workload';

/** What a part of the demo needs to submit jobs and follow them. */
export interface SessionDeps {
  readonly api: Pick<GantryApi, 'submitJob' | 'getJob'>;
  readonly out: OutputStream;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A reason to stop early (Ctrl-C, a process of the cluster died). */
  aborted(): string | undefined;
  /** `aborted`, or the demo's deadline passed. */
  stopReason(): string | undefined;
  readonly pollMs: number;
  /** When the demo began: elapsed times count from here, and idempotency keys carry it. */
  readonly startedAt: number;
}

/**
 * The jobs of one part of the demo, submitted in order and polled together: a live table on a
 * terminal (headed by `title`), a line per change otherwise.
 */
export class DemoSession {
  observations: Observation[] = [];
  private readonly live: LiveArea | undefined;

  constructor(
    private readonly deps: SessionDeps,
    private readonly title: string,
  ) {
    this.live = deps.out.isTTY ? new LiveArea(deps.out, () => deps.now()) : undefined;
  }

  /** Submits a job (idempotently: a retried submit of this run's job is the same job). */
  async submit(demo: DemoJob): Promise<Job> {
    const { job } = await this.deps.api.submitJob({
      spec: toProtoSpec(parseJobSpec(demo.spec)),
      idempotencyKey: `demo-${this.deps.startedAt}-${demo.name}`,
    });
    if (!job) throw new Error(`no job in the reply to ${demo.name}`);
    this.observations.push(firstObservation(demo, job));
    return job;
  }

  /**
   * Polls until `done` holds for the jobs' latest records; returns undefined then, or why it
   * stopped early.
   */
  async until(done: (jobs: readonly Job[]) => boolean): Promise<string | undefined> {
    for (;;) {
      try {
        await this.poll();
      } catch (error) {
        // A forced stop (second Ctrl-C) takes the control plane away mid-poll.
        const reason = this.deps.aborted();
        if (reason) return reason;
        throw error;
      }
      const reason = this.deps.stopReason();
      if (reason) return reason;
      if (done(this.observations.map((o) => o.job))) return undefined;
      await this.deps.sleep(this.deps.pollMs);
    }
  }

  /** Draws the table a last time (on a terminal), so it stays on screen as it ended. */
  finish(): void {
    this.live?.render(this.table(), true);
  }

  private table(): string[] {
    return demoTable(this.observations, this.deps.now() - this.deps.startedAt, this.title);
  }

  private async poll(): Promise<void> {
    const next = await Promise.all(
      this.observations.map(async (o) =>
        isTerminalState(o.job.state) ? o : observe(o, await this.deps.api.getJob(o.id)),
      ),
    );
    const elapsed = this.deps.now() - this.deps.startedAt;
    const before = this.observations;
    this.observations = next;
    if (this.live) this.live.render(this.table());
    else
      next.forEach((o, i) => {
        const line = changeLine(before[i]?.id === o.id ? before[i] : undefined, o, elapsed);
        if (line) writeLine(this.deps.out, line);
      });
  }
}

/** Every job has ended. */
export const allEnded = (jobs: readonly Job[]) => jobs.every((j) => isTerminalState(j.state));
