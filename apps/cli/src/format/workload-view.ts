import { type Job } from '@gantry/proto';
import { formatDuration } from '../spec/duration';

/** `Qwen/Qwen2.5-7B-Instruct` or `Qwen/Qwen2.5-7B-Instruct@v2 (vllm)`. */
function model(name: string, revision: string, engine: string): string {
  const at = revision && revision !== 'main' ? `${name}@${revision}` : name;
  return engine ? `${at} (${engine})` : at;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/**
 * One line on what a job runs, for `gantry get`: the command, the simulated work, or an
 * inference kind with its model, input and shape (unset numbers are the server's defaults and
 * left out).
 */
export function workloadSummary(job: Job): string {
  const w = job.spec?.workload;
  switch (w?.$case) {
    case 'command':
      return w.command.argv.map((a) => JSON.stringify(a)).join(' ');
    case 'simulated':
      return `simulated: ${w.simulated.gpuSeconds} GPU-seconds, exit code ${w.simulated.exitCode}`;
    case 'inferenceBatch': {
      const b = w.inferenceBatch;
      const window = b.completionWindow
        ? `, window ${formatDuration(b.completionWindow.seconds)}`
        : '';
      const shards = b.shards > 0 ? `, ${plural(b.shards, 'shard')}` : '';
      return `inference_batch: ${model(b.model, b.revision, b.engine)} on ${b.inputFileId}, ${b.endpoint}${shards}${window}`;
    }
    case 'inferenceReasoning': {
      const r = w.inferenceReasoning;
      const steps = r.steps.map((s) => `${s.id}:${s.kind?.$case ?? '?'}`).join(' ');
      return `inference_reasoning: ${model(r.model, r.revision, r.engine)}, ${plural(r.steps.length, 'step')} (${steps}), output ${r.output}`;
    }
    case 'rlSynthetic': {
      const r = w.rlSynthetic;
      const k = r.samplesPerProblem > 0 ? `, K=${r.samplesPerProblem}` : '';
      const verifier = r.verifier ? `, ${r.verifier}` : '';
      return `rl_synthetic: ${model(r.policyModel, r.revision, r.engine)} on ${r.problemsFileId}${k}${verifier}`;
    }
    case 'shard': {
      const s = w.shard;
      const last = s.firstLine + s.lineCount - 1;
      return `shard ${s.index + 1} of ${s.count}: ${model(s.model, s.revision, s.engine)}, lines ${s.firstLine}-${last}`;
    }
    default:
      return '';
  }
}

/** The batch or RL job a shard belongs to, `job_x (shard 2 of 4)`; '' for other jobs. */
export function parentJob(job: Job): string {
  const w = job.spec?.workload;
  const parent = job.parentJobId || (w?.$case === 'shard' ? w.shard.parentJobId : '');
  if (!parent) return '';
  return w?.$case === 'shard'
    ? `${parent} (shard ${w.shard.index + 1} of ${w.shard.count})`
    : parent;
}
