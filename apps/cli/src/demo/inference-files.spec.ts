import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { File } from '@gantry/proto';
import { firstObservation } from './demo-tracker';
import { downloadJsonLines, uploadInputs } from './inference-files';
import { collectOutcome } from './inference-outcome';
import { inferenceJobs, inferencePlan } from './inference-workload';
import { healthyInferenceResults } from '../testing/inference-demo-results';

/** A FileService stand-in serving `files` (id to content) in the chunks given. */
function downloads(files: Record<string, string[]>) {
  return {
    async *downloadFile(fileId: string) {
      const chunks = files[fileId];
      if (!chunks) throw new Error(`file ${fileId} not found`);
      for (const chunk of chunks) yield Buffer.from(chunk);
    },
  };
}

describe('demo files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-demo-files-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the requests and problems to files and uploads exactly those', async () => {
    const plan = inferencePlan();
    const sent: [string, string][] = [];
    const api = {
      uploadFile: async (filename: string, chunks: AsyncIterable<Uint8Array>) => {
        const parts: Buffer[] = [];
        for await (const chunk of chunks) parts.push(Buffer.from(chunk));
        sent.push([filename, Buffer.concat(parts).toString('utf8')]);
        return File.fromPartial({ id: `file_${sent.length}`, filename });
      },
    };
    const { ids, files } = await uploadInputs(api, plan, dir);
    expect(ids).toEqual({ requestsFileId: 'file_1', problemsFileId: 'file_2' });
    expect(files.map((f) => f.filename)).toEqual(['requests.jsonl', 'problems.jsonl']);
    expect(sent[0]![1]).toBe(await readFile(join(dir, 'requests.jsonl'), 'utf8'));
    expect(sent[0]![1].trimEnd().split('\n')).toHaveLength(plan.batch.questions.length);
    expect(sent[1]![1]).toBe(await readFile(join(dir, 'problems.jsonl'), 'utf8'));
    expect((await readdir(dir)).sort()).toEqual(['problems.jsonl', 'requests.jsonl']);
  });

  it('reads a JSONL file across chunk boundaries, skipping blank lines', async () => {
    const api = downloads({ f: ['{"a":1}\n\n{"b"', ':2}\n'] });
    expect(await downloadJsonLines(api, 'f')).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('names the line that is not JSON', async () => {
    const api = downloads({ f: ['{"a":1}\n{oops\n'] });
    await expect(downloadJsonLines(api, 'f')).rejects.toThrow('line 2 of f is not JSON: {oops');
  });

  it("collects each job's files, and notes a file it cannot read", async () => {
    const plan = inferencePlan();
    const ids = { batch: 'job_b', reasoning: 'job_r', rl: 'job_l' };
    const { jobs, files } = healthyInferenceResults(plan, ids);
    const demos = inferenceJobs(plan, { requestsFileId: 'file_q', problemsFileId: 'file_p' });
    const observations = [jobs.batch, jobs.reasoning, jobs.rl].map((job, i) =>
      firstObservation(demos[i]!, job),
    );
    const jsonl = (id: string) => [files[id]!.map((l) => `${JSON.stringify(l)}\n`).join('')];
    // The dataset is missing on the server.
    const api = downloads({ file_out: jsonl('file_out'), file_err: [''] });
    const outcome = await collectOutcome(api, plan, observations);
    expect(outcome.batch.output).toHaveLength(plan.batch.questions.length);
    expect(outcome.batch.errors).toEqual([]);
    expect(outcome.reasoning.observation?.id).toBe('job_r');
    expect(outcome.rl.dataset).toEqual([]);
    expect(outcome.unreadable).toEqual([
      'rl-8x4 (job_l): cannot read its dataset file_dataset: file file_dataset not found',
    ]);
  });
});
