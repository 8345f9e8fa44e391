import { type Job } from '@gantry/proto';
import { describeSaved, type SavedFile } from '../results/result-files';
import { renderSteps, resultFields, type FileLabel } from './result-view';
import { isTerminalState, jobStateName } from './states';
import { renderFields } from './table';

const KINDS: Record<string, string> = {
  inferenceBatch: 'inference_batch',
  inferenceReasoning: 'inference_reasoning',
  rlSynthetic: 'rl_synthetic',
};

/**
 * `gantry results`: a head line (`job_x succeeded (inference_batch)`), the result's fields with
 * saved files shown where they were saved, and a reasoning job's steps.
 */
export function renderResults(job: Job, saved: readonly SavedFile[]): string {
  const kind = KINDS[job.spec?.workload?.$case ?? ''];
  const why = job.reason ? `${job.reason}${job.message ? `: ${job.message}` : ''}` : '';
  const details = [kind, why].filter(Boolean).join(', ');
  const head = `${job.id} ${jobStateName(job.state)}${details ? ` (${details})` : ''}`;
  const label: FileLabel = (fileId) => {
    const file = saved.find((s) => s.fileId === fileId);
    return file ? describeSaved(file) : fileId;
  };
  const fields = resultFields(job, label);
  if (fields.length === 0)
    return `${head}\n${isTerminalState(job.state) ? 'It ended without results.' : 'No results yet.'}`;
  const steps =
    job.result?.kind?.$case === 'reasoning' && job.result.kind.reasoning.steps.length > 0
      ? `\n\nSteps:\n${renderSteps(job.result.kind.reasoning.steps).replace(/^/gm, '  ')}`
      : '';
  return `${head}\n${renderFields(fields)}${steps}`;
}
