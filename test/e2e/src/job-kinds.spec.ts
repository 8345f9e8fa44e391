/**
 * The inference job kinds through the live control plane and real agents whose `openai` backend
 * runs the simulated engine (a real OpenAI-compatible server process): a sharded batch answers
 * every custom_id exactly once; identical reasoning steps reach the engine once; an RL job's
 * dataset follows the verifier's decisions; an engine killed mid-batch costs an attempt and no
 * duplicate.
 */
import { ExactAnswerVerifier } from '@gantry/workloads';
import { JobState, type Job, type JobSpec } from '@gantry/proto';
import { Cluster, eventually, type GantryClient, type ServiceProcess } from './harness';

const MODEL = 'sim-math-7b';

function spec(workload: JobSpec['workload'], extra: Partial<JobSpec> = {}): Partial<JobSpec> {
  return { resources: { gpus: 1, gpuModel: '', nodes: 0 }, workload, ...extra };
}

function batchLines(count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      custom_id: `req-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { messages: [{ role: 'user', content: `What is ${i} + ${i % 7}?` }], max_tokens: 32 },
    }),
  ).join('\n');
}

const jsonl = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The engine calls an agent's engines answered: GET /stats of each engine it made ready. */
async function engineCalls(agent: ServiceProcess): Promise<number> {
  const ports = new Set(
    agent.lines
      .filter((l) => l.msg === 'engine ready')
      .map((l) => (l['engine'] as { port: number }).port),
  );
  let total = 0;
  for (const port of ports) {
    const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as {
      total: number;
    };
    total += stats.total;
  }
  return total;
}

describe('inference job kinds, live', () => {
  let cluster: Cluster;
  let client: GantryClient;

  afterEach(async () => {
    await cluster.destroy();
  });

  async function start(agentEnv: Record<string, string> = {}, controlPlaneEnv = {}) {
    cluster = await Cluster.create({ controlPlaneEnv });
    await cluster.startControlPlane();
    await cluster.startAgent('node-a', '2xH100-80GB', undefined, agentEnv);
    client = cluster.client();
    await eventually('the agent registered', async () =>
      (await client.nodes()).length === 1 ? true : undefined,
    );
  }

  const finished = (job: Job, timeoutMs = 120_000) =>
    client.waitForState(
      job.id,
      [JobState.JOB_STATE_SUCCEEDED, JobState.JOB_STATE_FAILED, JobState.JOB_STATE_CANCELLED],
      timeoutMs,
    );

  it('answers a batch of 1,000 requests over 2 shards, every custom_id exactly once', async () => {
    await start();
    const input = await client.upload('requests.jsonl', batchLines(1000));
    expect(input.lines).toBe(1000);
    const job = await client.submit(
      spec({
        $case: 'inferenceBatch',
        inferenceBatch: {
          model: MODEL,
          revision: '',
          engine: '',
          inputFileId: input.id,
          endpoint: '/v1/chat/completions',
          shards: 2,
          maxConcurrency: 16,
        },
      }),
    );
    const done = await finished(job);
    expect(JobState[done.state]).toBe('JOB_STATE_SUCCEEDED');
    const result = done.result?.kind;
    if (result?.$case !== 'batch') throw new Error(`no batch result: ${JSON.stringify(done)}`);
    expect(result.batch).toMatchObject({
      status: 'completed',
      requestCounts: { total: 1000, completed: 1000, failed: 0 },
    });
    const output = jsonl(await client.download(result.batch.outputFileId));
    const ids = output.map((l) => l['custom_id']);
    expect(new Set(ids).size).toBe(1000);
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => `req-${i}`));
    expect(await client.download(result.batch.errorFileId)).toBe('');
    const shards = (await client.listAll()).filter((j) => j.parentJobId === job.id);
    expect(shards.map((s) => JobState[s.state])).toEqual([
      'JOB_STATE_SUCCEEDED',
      'JOB_STATE_SUCCEEDED',
    ]);
    expect(await engineCalls(cluster.agents.get('node-a')!)).toBe(1000);
  });

  it('runs identical reasoning steps once: the engine sees exactly the distinct calls', async () => {
    await start();
    const sample = (id: string, n: number) => ({
      id,
      kind: {
        $case: 'sample' as const,
        sample: { prompt: '{{question}}', n, temperature: 0.8, maxTokens: 64, seed: 0 },
      },
    });
    const job = await client.submit(
      spec({
        $case: 'inferenceReasoning',
        inferenceReasoning: {
          model: MODEL,
          revision: '',
          engine: '',
          question: 'What is 17 * 23?',
          answer: '391',
          maxConcurrency: 4,
          // b repeats a's 4 calls and adds 2: 6 distinct calls of the 10 asked for.
          steps: [
            sample('a', 4),
            sample('b', 6),
            { id: 'vote', kind: { $case: 'vote', vote: { input: 'b', method: '' } } },
          ],
          output: 'vote',
        },
      }),
    );
    const done = await finished(job);
    expect(JobState[done.state]).toBe('JOB_STATE_SUCCEEDED');
    const result = done.result?.kind;
    if (result?.$case !== 'reasoning') throw new Error(`no result: ${JSON.stringify(done)}`);
    expect(result.reasoning.callsMade).toBe(6);
    expect(result.reasoning.callsSavedCache + result.reasoning.callsSavedInflight).toBe(4);
    expect(result.reasoning.answer).not.toBe('');
    expect(await engineCalls(cluster.agents.get('node-a')!)).toBe(6);
  });

  it('builds an RL dataset that follows the verifier’s decisions', async () => {
    await start();
    const problems = Array.from({ length: 12 }, (_, i) => ({
      id: `p${i}`,
      prompt: `What is ${i + 3} * ${i + 4}?`,
      answer: String((i + 3) * (i + 4)),
    }));
    const file = await client.upload(
      'problems.jsonl',
      problems.map((p) => JSON.stringify(p)).join('\n'),
    );
    const job = await client.submit(
      spec({
        $case: 'rlSynthetic',
        rlSynthetic: {
          policyModel: MODEL,
          revision: '',
          engine: '',
          problemsFileId: file.id,
          samplesPerProblem: 4,
          endpoint: '',
          verifier: 'exact-answer',
          keep: 'all',
          groupFilter: false,
          shards: 2,
          maxConcurrency: 8,
        },
      }),
    );
    const done = await finished(job);
    expect(JobState[done.state]).toBe('JOB_STATE_SUCCEEDED');
    const result = done.result?.kind;
    if (result?.$case !== 'rlSynthetic') throw new Error(`no result: ${JSON.stringify(done)}`);
    const dataset = jsonl(await client.download(result.rlSynthetic.datasetFileId));
    expect(dataset).toHaveLength(48); // keep: all, no group filter: every sample
    const verifier = new ExactAnswerVerifier();
    let accepted = 0;
    for (const line of dataset) {
      const problem = problems.find((p) => p.id === line['problem_id'])!;
      const verdict = await verifier.verify(line['completion'] as string, problem);
      expect(line['accepted']).toBe(verdict.accepted);
      expect((line['provenance'] as Record<string, unknown>)['job_id']).toBe(job.id);
      if (verdict.accepted) accepted++;
    }
    expect(result.rlSynthetic).toMatchObject({ problems: 12, samples: 48, accepted, k: 4 });
    expect(accepted).toBeGreaterThan(0); // the simulated model is right most of the time
    expect(accepted).toBeLessThan(48); // and wrong sometimes
  });

  it('resumes a shard whose engine was killed mid-batch, without duplicates', async () => {
    // Every engine this agent starts dies when its 121st request arrives.
    await start(
      {
        GANTRY_ENGINE_COMMAND:
          '{node} {simulated_engine} --model {model} --host {host} --port {port} --crash-after 120',
      },
      { GANTRY_MAX_ATTEMPTS: '6' },
    );
    const input = await client.upload('requests.jsonl', batchLines(300));
    const job = await client.submit(
      spec({
        $case: 'inferenceBatch',
        inferenceBatch: {
          model: MODEL,
          revision: '',
          engine: '',
          inputFileId: input.id,
          endpoint: '/v1/chat/completions',
          shards: 1,
          maxConcurrency: 4,
        },
      }),
    );
    const done = await finished(job, 150_000);
    expect(JobState[done.state]).toBe('JOB_STATE_SUCCEEDED');
    const result = done.result?.kind;
    if (result?.$case !== 'batch') throw new Error(`no batch result: ${JSON.stringify(done)}`);
    expect(result.batch.requestCounts).toEqual({ total: 300, completed: 300, failed: 0 });
    const ids = jsonl(await client.download(result.batch.outputFileId)).map((l) => l['custom_id']);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => `req-${i}`));
    const [shard] = (await client.listAll()).filter((j) => j.parentJobId === job.id);
    expect(shard!.attempts.length).toBeGreaterThanOrEqual(3); // 300 requests, 120 per engine
    expect(shard!.attempts.slice(0, -1).every((a) => a.message.includes('engine went away'))).toBe(
      true,
    );
  });
});
