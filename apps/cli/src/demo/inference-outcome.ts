import { type FileApi } from '../connection/file-api';
import { type Observation } from './demo-tracker';
import { type DemoRole } from './demo-workload';
import { downloadJsonLines, type JsonLine } from './inference-files';
import { type InferencePlan } from './inference-workload';

/** What the demo's inference jobs produced: their last records and the files they wrote. */
export interface InferenceOutcome {
  readonly plan: InferencePlan;
  readonly batch: {
    readonly observation: Observation | undefined;
    /** The output file's lines (answered requests). */
    readonly output: readonly JsonLine[];
    /** The error file's lines (failed requests). */
    readonly errors: readonly JsonLine[];
  };
  readonly reasoning: { readonly observation: Observation | undefined };
  readonly rl: {
    readonly observation: Observation | undefined;
    /** The dataset's lines (kept traces). */
    readonly dataset: readonly JsonLine[];
  };
  /** A line per produced file that could not be read. */
  readonly unreadable: readonly string[];
}

/**
 * Reads what each job produced: a batch's output and error files, an RL job's dataset. A job
 * without a result, or a result without a file, gives no lines (the checker says what is
 * missing); a file that cannot be read is noted in `unreadable`.
 */
export async function collectOutcome(
  api: Pick<FileApi, 'downloadFile'>,
  plan: InferencePlan,
  observations: readonly Observation[],
): Promise<InferenceOutcome> {
  const unreadable: string[] = [];
  const find = (role: DemoRole) => observations.find((o) => o.demo.role === role);
  const read = async (o: Observation | undefined, what: string, fileId: string | undefined) => {
    if (!o || !fileId) return [];
    try {
      return await downloadJsonLines(api, fileId);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      unreadable.push(`${o.demo.name} (${o.id}): cannot read its ${what} ${fileId}: ${why}`);
      return [];
    }
  };
  const batch = find('batch');
  const rl = find('rl');
  const batchResult =
    batch?.job.result?.kind?.$case === 'batch' ? batch.job.result.kind.batch : undefined;
  const rlResult =
    rl?.job.result?.kind?.$case === 'rlSynthetic' ? rl.job.result.kind.rlSynthetic : undefined;
  return {
    plan,
    batch: {
      observation: batch,
      output: await read(batch, 'output file', batchResult?.outputFileId),
      errors: await read(batch, 'error file', batchResult?.errorFileId),
    },
    reasoning: { observation: find('reasoning') },
    rl: { observation: rl, dataset: await read(rl, 'dataset', rlResult?.datasetFileId) },
    unreadable,
  };
}
