import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttemptState, File, Job, JobState, type SubmitJobRequest } from '@gantry/proto';
import { CapturedOutput } from '../testing/fake-environment';
import { healthyInferenceResults } from '../testing/inference-demo-results';
import { type JsonLine } from './inference-files';
import { inferencePlan } from './inference-workload';
import { runDemo } from './run-demo';

const shape = { agents: 2, gpusPerAgent: 8, gpus: '8xH100-80GB' };

const INFERENCE_ROLES = {
  'batch-36-questions': 'batch',
  'reasoning-dag': 'reasoning',
  'rl-8x4': 'rl',
} as const;

/**
 * A scripted stand-in for the control plane's JobService and FileService (the real ones are
 * exercised by `gantry up --demo` end to end): each poll moves every job one step along a script
 * chosen by its name, with a clock that advances one second per poll round. The inference jobs
 * end with a healthy cluster's results, which `breakResults` may spoil.
 */
function scriptedCluster(options: {
  bigWaits: boolean;
  breakResults?: (results: ReturnType<typeof healthyInferenceResults>) => void;
}) {
  let clock = Date.parse('2026-11-29T12:00:00Z');
  const jobs = new Map<string, { request: SubmitJobRequest; polls: number }>();
  const submitted: string[] = [];
  const uploads = new Map<string, { filename: string; content: string }>();
  let results: ReturnType<typeof healthyInferenceResults> | undefined;
  /** The inference jobs' results, once all three were submitted, with their ids. */
  const inferenceResults = () => {
    if (results) return results;
    const idOf = (name: string) =>
      [...jobs].find(([, entry]) => entry.request.spec!.name === name)![0];
    results = healthyInferenceResults(inferencePlan(), {
      batch: idOf('batch-36-questions'),
      reasoning: idOf('reasoning-dag'),
      rl: idOf('rl-8x4'),
    });
    options.breakResults?.(results);
    return results;
  };
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
    const role = INFERENCE_ROLES[name as keyof typeof INFERENCE_ROLES];
    if (role && polls < 2) return job(id, JobState.JOB_STATE_RUNNING, { progress: 0.5 });
    if (role) return inferenceResults().jobs[role];
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
    uploads,
    requestOf: (name: string) =>
      [...jobs.values()].find((entry) => entry.request.spec!.name === name)!.request,
    api: {
      uploadFile: async (filename: string, chunks: AsyncIterable<Uint8Array>) => {
        const parts: Buffer[] = [];
        for await (const chunk of chunks) parts.push(Buffer.from(chunk));
        const content = Buffer.concat(parts).toString('utf8');
        const id = `file_${String(uploads.size + 1).padStart(26, '0')}`;
        uploads.set(id, { filename, content });
        return File.fromPartial({ id, filename, lines: content.trimEnd().split('\n').length });
      },
      async *downloadFile(fileId: string) {
        const lines: readonly JsonLine[] = inferenceResults().files[fileId] ?? [];
        yield Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      },
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
  let tmpDir: string;
  beforeEach(async () => {
    tmpDir = await mkdtemp(join(tmpdir(), 'gantry-demo-spec-'));
  });
  afterEach(async () => {
    await rm(tmpDir, { recursive: true, force: true });
  });
  it('fills the nodes first, then submits the rest, and passes when all goes as expected', async () => {
    const cluster = scriptedCluster({ bigWaits: true });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, {
      ...cluster,
      out,
      tmpDir,
      aborted: () => undefined,
      pollMs: 1_000,
    });
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
    const ok = await runDemo(shape, {
      ...cluster,
      out,
      tmpDir,
      aborted: () => undefined,
      pollMs: 1_000,
    });
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
      tmpDir,
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
    await runDemo(shape, { ...cluster, out, tmpDir, aborted: () => undefined, pollMs: 1_000 });
    expect(out.text).toMatch(/demo: 13\/13 jobs done/);
    expect(out.text).toMatch(/inference: 3\/3 jobs done/);
    expect(out.text).toMatch(/NAME +GPUS +STATE +REASON +NODE +PROGRESS +ID/);
  });

  it('then uploads the inputs, runs one job of each inference kind and prints what they produced', async () => {
    const cluster = scriptedCluster({ bigWaits: true });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, {
      ...cluster,
      out,
      tmpDir,
      aborted: () => undefined,
      pollMs: 1_000,
    });
    expect(ok).toBe(true);
    expect(cluster.submitted.slice(-3)).toEqual(['batch-36-questions', 'reasoning-dag', 'rl-8x4']);
    const [requests, problems] = [...cluster.uploads];
    expect(requests![1].filename).toBe('requests.jsonl');
    expect(requests![1].content.trimEnd().split('\n')).toHaveLength(36);
    expect(problems![1].filename).toBe('problems.jsonl');
    const batch = cluster.requestOf('batch-36-questions').spec!.workload;
    expect(batch?.$case === 'inferenceBatch' && batch.inferenceBatch.inputFileId).toBe(
      requests![0],
    );
    const rl = cluster.requestOf('rl-8x4').spec!.workload;
    expect(rl?.$case === 'rlSynthetic' && rl.rlSynthetic.problemsFileId).toBe(problems![0]);
    expect(out.text).toContain(
      `uploaded requests.jsonl as ${requests![0]} (36 lines) and problems.jsonl as ${problems![0]} (8 lines)`,
    );
    expect(out.text).toMatch(/Requests: +36 total, 36 completed, 0 failed/);
    expect(out.text).toMatch(/Answer: +391\n +Accepted: +yes/);
    expect(out.text).toMatch(
      /pass@4: +0\.875\n +Groups dropped: +2 all passed, 1 none passed\n +Kept: +12/,
    );
    expect(out.text).toContain(
      '12 reached the engine and 8 were saved (2 from the cache, 6 in flight)',
    );
    expect(out.text.indexOf('demo, part 2')).toBeGreaterThan(out.text.indexOf('GPU-seconds'));
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('stops during the inference part without reading or judging its results', async () => {
    const cluster = scriptedCluster({ bigWaits: true });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, {
      ...cluster,
      out,
      tmpDir,
      aborted: () => (cluster.submitted.length > 13 ? 'SIGTERM received' : undefined),
      pollMs: 1_000,
    });
    expect(ok).toBe(false);
    expect(cluster.submitted).toHaveLength(16);
    expect(out.text).toContain('demo stopped early: SIGTERM received');
    expect(out.text).not.toContain('inference_batch');
    expect(out.text).not.toContain('demo problem');
    expect(await readdir(tmpDir)).toEqual([]);
  });

  it('fails when an inference kind produced the wrong thing', async () => {
    const cluster = scriptedCluster({
      bigWaits: true,
      breakResults: ({ jobs, files }) => {
        const batch = jobs.batch.result!.kind as { batch: { requestCounts: unknown } };
        batch.batch.requestCounts = { total: 36, completed: 30, failed: 6 };
        files['file_dataset'] = files['file_dataset']!.slice(2);
      },
    });
    const out = new CapturedOutput();
    const ok = await runDemo(shape, {
      ...cluster,
      out,
      tmpDir,
      aborted: () => undefined,
      pollMs: 1_000,
    });
    expect(ok).toBe(false);
    expect(out.text).not.toContain('demo OK');
    expect(out.text).toContain(
      'demo problem: batch-36-questions (job_13) answered 30 of 36 requests (6 failed); expected all 36 answered',
    );
    expect(out.text).toContain(
      "demo problem: rl-8x4 (job_15)'s dataset has 10 lines; its result says 12 kept",
    );
  });
});
