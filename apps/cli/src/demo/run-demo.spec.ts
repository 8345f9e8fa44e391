import { AttemptState, Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { CapturedOutput } from '../testing/fake-environment';
import { runDemo } from './run-demo';

const shape = { agents: 2, gpusPerAgent: 8, gpus: '8xH100-80GB' };

/**
 * A scripted stand-in for the control plane's JobService (the real one is exercised by
 * `gantry up --demo` end to end): each poll moves every job one step along a script chosen by
 * its name, with a clock that advances one second per poll round.
 */
function scriptedCluster(options: { bigWaits: boolean }) {
  let clock = Date.parse('2026-11-29T12:00:00Z');
  const jobs = new Map<string, { request: SubmitJobRequest; polls: number }>();
  const submitted: string[] = [];
  const job = (id: string, state: JobState, extra: Partial<Job> = {}): Job => ({
    ...Job.fromPartial({ id, state }),
    ...extra,
  });
  const script = (name: string, polls: number, id: string): Job => {
    const started = new Date(clock - 1_000);
    const ranks = name.startsWith('gang-') ? 2 : 1;
    const run = {
      attempt: 1,
      attempts: Array.from({ length: ranks }, (_, rank) => ({
        number: 1,
        rank,
        nodeId: `n${rank + 1}`,
        nodeName: `node-${rank + 1}`,
        gpuIndices: [0],
        state: AttemptState.ATTEMPT_STATE_RUNNING,
        message: '',
      })),
    };
    if (name === 'needs-whole-node' && options.bigWaits && polls < 3)
      return job(id, JobState.JOB_STATE_PENDING, { reason: 'WaitingForResources' });
    if (name === 'needs-whole-node' && polls < 3)
      return job(id, JobState.JOB_STATE_RUNNING, { ...run, startTime: started });
    if (polls < 2)
      return job(id, JobState.JOB_STATE_RUNNING, { ...run, startTime: started, progress: 0.5 });
    if (name === 'fails-exit-3')
      return job(id, JobState.JOB_STATE_FAILED, {
        ...run,
        exitCode: 3,
        startTime: started,
        endTime: new Date(clock),
      });
    return job(id, JobState.JOB_STATE_SUCCEEDED, {
      ...run,
      exitCode: 0,
      progress: 1,
      startTime: started,
      endTime: new Date(clock),
    });
  };
  return {
    submitted,
    api: {
      submitJob: async (request: SubmitJobRequest) => {
        const id = `job_${jobs.size}`;
        jobs.set(id, { request, polls: 0 });
        submitted.push(request.spec!.name);
        return {
          job: job(id, JobState.JOB_STATE_PENDING, { reason: 'Submitted' }),
          created: true,
          arrayJobIds: [],
        };
      },
      getJob: async (id: string) => {
        const entry = jobs.get(id)!;
        entry.polls += 1;
        return script(entry.request.spec!.name, entry.polls, id);
      },
    },
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
}

describe('runDemo', () => {
  it('fills the nodes first, then submits the rest, and passes when all goes as expected', async () => {
    const cluster = scriptedCluster({ bigWaits: true });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, { ...cluster, out, aborted: () => undefined, pollMs: 1_000 });
    expect(cluster.submitted.slice(0, 3)).toEqual([
      'hold-node-1',
      'hold-node-2',
      'needs-whole-node',
    ]);
    expect(out.text).toContain('demo OK: the cluster behaved as expected');
    expect(out.text).toMatch(/jobs: +13 \(12 succeeded, 1 failed\)/);
    expect(out.text).toMatch(/gang-2x1gpu +succeeded +- +node-1\+1 /);
    expect(ok).toBe(true);
  });

  it('fails when the whole-node job never waited', async () => {
    const cluster = scriptedCluster({ bigWaits: false });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, { ...cluster, out, aborted: () => undefined, pollMs: 1_000 });
    expect(ok).toBe(false);
    expect(out.text).toContain(
      'demo problem: needs-whole-node (job_2) never showed WaitingForResources or Reserved',
    );
  });

  it('stops early, and fails, when aborted', async () => {
    const cluster = scriptedCluster({ bigWaits: true });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, {
      ...cluster,
      out,
      aborted: () => 'SIGINT received',
      pollMs: 1_000,
    });
    expect(ok).toBe(false);
    expect(cluster.submitted).toEqual(['hold-node-1', 'hold-node-2']);
    expect(out.text).toContain('demo stopped early: SIGINT received');
  });

  it('draws a live table on a terminal', async () => {
    const cluster = scriptedCluster({ bigWaits: true });
    const out = new CapturedOutput(true);
    await runDemo(shape, { ...cluster, out, aborted: () => undefined, pollMs: 1_000 });
    expect(out.text).toMatch(/demo: 13\/13 jobs done/);
    expect(out.text).toMatch(/NAME +GPUS +STATE +REASON +NODE +PROGRESS +ID/);
  });
});
