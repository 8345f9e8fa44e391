import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseJobSpec,
  type InferenceReasoningWorkload,
  type ShardWorkload,
  type Workload,
} from '@gantry/domain';
import { completeLines, LocalDirectoryStore } from '@gantry/files';
import { InProcessStepCache } from '@gantry/workloads';
import type { RunningTask } from '../backend';
import { OpenAIBackend, type OpenAIBackendOptions } from '../openai/backend/openai-backend';
import type { EngineManager } from '../openai/engine-manager';
import { EngineFixture } from './engine-fixture';
import { RecordingSink } from './recording-sink';

export const PARENT_JOB = `job_${'0'.repeat(10)}${'p'.repeat(16)}`;
export const REQUESTS_KEY = `jobs/${PARENT_JOB}/requests.jsonl`;

/** The simulated engine's command with extra flags (a custom GANTRY_ENGINE_COMMAND). */
export const simulatedWith = (flags: string) =>
  `{node} {simulated_engine} --model {model} --host {host} --port {port} ${flags}`;

/** What the simulated engine's GET /stats says. */
export interface EngineStats {
  readonly completions: number;
  readonly chat_completions: number;
  readonly failed: number;
  readonly total: number;
}

/**
 * OpenAI backends over real simulated-engine processes (EngineFixture) and a real directory as
 * the FileStore (LocalDirectoryStore), for the backend's tests.
 */
export class OpenAIBackendFixture {
  readonly engines = new EngineFixture();
  storageDir = '';
  store!: LocalDirectoryStore;

  setUp = () => this.engines.setUp();
  tearDown = () => this.engines.tearDown();

  beforeEach(): void {
    this.engines.beforeEach();
    this.storageDir = mkdtempSync(join(tmpdir(), 'gantry-storage-'));
    this.store = new LocalDirectoryStore(this.storageDir);
  }

  async afterEach(): Promise<void> {
    await this.engines.afterEach();
    rmSync(this.storageDir, { recursive: true, force: true });
  }

  /** A backend over a manager of its own (engine `command`, when given, as its default). */
  backend(options: { command?: string } & Partial<OpenAIBackendOptions> = {}): {
    backend: OpenAIBackend;
    manager: EngineManager;
  } {
    const { command, ...rest } = options;
    const { manager } = this.engines.manager(command ? { command } : {});
    const backend = new OpenAIBackend({
      engines: manager,
      files: this.store,
      stepCache: new InProcessStepCache(),
      killGraceMs: 30_000,
      ...rest,
    });
    return { backend, manager };
  }

  /** Starts one attempt of `workload` on GPU 0 (job id `job_test`). */
  async start(
    backend: OpenAIBackend,
    workload: Workload,
    options: { attempt?: number; timeLimitMs?: number; gpuIndices?: number[] } = {},
  ): Promise<{ task: RunningTask; sink: RecordingSink }> {
    const sink = new RecordingSink();
    const task = await backend.start({
      task: { taskId: 'task_test', jobId: 'job_test', attempt: options.attempt ?? 1 },
      workload,
      gpuIndices: options.gpuIndices ?? [0],
      timeLimitMs: options.timeLimitMs ?? null,
      sink,
    });
    return { task, sink };
  }

  /** Writes `count` completion requests (`c-0`, `c-1`, ...) as the batch's requests.jsonl. */
  async writeRequests(count: number): Promise<void> {
    const lines = Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        custom_id: `c-${i}`,
        method: 'POST',
        url: '/v1/completions',
        body: { model: 'm', prompt: `What is ${i} + 1?`, max_tokens: 64 },
      }),
    );
    await this.store.put(REQUESTS_KEY, `${lines.join('\n')}\n`);
  }

  /** The whole lines of a stored file (none when it does not exist). */
  async lines(key: string): Promise<string[]> {
    if (!(await this.store.stat(key))) return [];
    const lines: string[] = [];
    for await (const line of completeLines(this.store.read(key))) lines.push(line);
    return lines;
  }

  /** GET /stats of the manager's (one) engine. */
  async stats(manager: EngineManager): Promise<EngineStats> {
    const engine = manager.warmEngines()[0];
    if (!engine) throw new Error('no engine is running');
    const response = await fetch(`http://127.0.0.1:${engine.port}/stats`);
    return (await response.json()) as EngineStats;
  }
}

/** A shard of the batch's requests file (model `m`, `/v1/completions`). */
export function shardWorkload(fields: Record<string, unknown>): ShardWorkload {
  const spec = parseJobSpec({
    resources: { gpus: 1 },
    shard: {
      parent_job_id: PARENT_JOB,
      index: 1,
      count: 3,
      model: 'm',
      endpoint: '/v1/completions',
      requests_key: REQUESTS_KEY,
      first_line: 0,
      line_count: 1,
      output_prefix: `jobs/${PARENT_JOB}/shards/1/`,
      ...fields,
    },
  });
  return spec.workload as ShardWorkload;
}

/** A reasoning job on model `m` asking 17 * 23 (reference answer 391). */
export function reasoningWorkload(fields: Record<string, unknown>): InferenceReasoningWorkload {
  const spec = parseJobSpec({
    resources: { gpus: 1 },
    inference_reasoning: { model: 'm', question: 'What is 17 * 23?', answer: '391', ...fields },
  });
  return spec.workload as InferenceReasoningWorkload;
}
