import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type File } from '@gantry/proto';
import { type FileApi } from '../connection/file-api';
import { uploadLocalFile } from '../files/transfer';
import { batchRequestLines, problemLines } from './inference-inputs';
import { type InferencePlan, type UploadedInputs } from './inference-workload';

/** One line of a JSONL file, parsed. */
export type JsonLine = Readonly<Record<string, unknown>>;

/** Uploads count no bytes on screen: the demo prints one line per file instead. */
const quiet = { add: () => {}, done: () => {} };

/**
 * Writes the batch requests and the RL problems to files in `dir` (as a user would before
 * `gantry submit -f`) and uploads them through FileService, as `gantry files upload` does.
 */
export async function uploadInputs(
  api: Pick<FileApi, 'uploadFile'>,
  plan: InferencePlan,
  dir: string,
): Promise<{ readonly ids: UploadedInputs; readonly files: readonly File[] }> {
  const requests = join(dir, 'requests.jsonl');
  const problems = join(dir, 'problems.jsonl');
  await writeFile(requests, batchRequestLines(plan.batch.questions, plan.batch.maxTokens));
  await writeFile(problems, problemLines(plan.rl.problems));
  const requestsFile = await uploadLocalFile(api, requests, 'requests.jsonl', quiet);
  const problemsFile = await uploadLocalFile(api, problems, 'problems.jsonl', quiet);
  return {
    ids: { requestsFileId: requestsFile.id, problemsFileId: problemsFile.id },
    files: [requestsFile, problemsFile],
  };
}

/** A produced JSONL file (small: the demo's outputs are a few dozen lines), parsed line by line. */
export async function downloadJsonLines(
  api: Pick<FileApi, 'downloadFile'>,
  fileId: string,
): Promise<JsonLine[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of api.downloadFile(fileId)) chunks.push(Buffer.from(chunk));
  const lines = Buffer.concat(chunks).toString('utf8').split('\n');
  const parsed: JsonLine[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      parsed.push(JSON.parse(line) as JsonLine);
    } catch {
      throw new Error(`line ${index + 1} of ${fileId} is not JSON: ${line.slice(0, 80)}`);
    }
  });
  return parsed;
}
