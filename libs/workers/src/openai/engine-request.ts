import { ValidationError, type FieldViolation } from '@gantry/domain';
import type { EngineCommands, ResolvedEngineCommand } from './engine-presets';
import type { EngineIdentity } from './managed-engine';

/** What a task asks of the engine manager. */
export interface EngineRequest {
  readonly model: string;
  /** The weights revision, e.g. `main`. */
  readonly revision: string;
  /** The job's `engine` field: `vllm`, `sglang`, `simulated`, `custom`, or '' for the agent's default. */
  readonly preset: string;
  /** The task's GPUs (CUDA_VISIBLE_DEVICES of the engine); the engine serves on all of them. */
  readonly gpuIndices: readonly number[];
}

/**
 * Checks a request and resolves its engine command: the identity that decides reuse (GPU set
 * sorted, duplicates dropped), or a ValidationError naming every bad field.
 */
export function checkEngineRequest(
  request: EngineRequest,
  commands: EngineCommands,
): { readonly identity: EngineIdentity; readonly command: ResolvedEngineCommand } {
  const violations: FieldViolation[] = [];
  if (request.model.trim() === '') violations.push({ field: 'model', message: 'is required' });
  if (request.revision.trim() === '')
    violations.push({ field: 'revision', message: 'is required' });
  if (request.gpuIndices.length === 0)
    violations.push({ field: 'gpuIndices', message: 'an engine needs at least one GPU' });
  else if (!request.gpuIndices.every((gpu) => Number.isInteger(gpu) && gpu >= 0))
    violations.push({ field: 'gpuIndices', message: 'must be whole numbers, 0 or more' });
  let command: ResolvedEngineCommand | undefined;
  try {
    command = commands.resolve(request.preset);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    violations.push(...error.violations);
  }
  if (violations.length > 0 || !command) throw new ValidationError(violations);
  const gpuIndices = [...new Set(request.gpuIndices)].sort((a, b) => a - b);
  const { model, revision } = request;
  return { identity: { model, revision, preset: command.name, gpuIndices }, command };
}

/** The log file name of an engine: one per identity, appended to by each of its runs. */
export function engineLogFile(identity: EngineIdentity): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');
  const gpus = identity.gpuIndices.join('_');
  return `${identity.preset}-${safe(identity.model)}@${safe(identity.revision)}-gpus-${gpus}.log`;
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
export async function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  let onAbort = () => undefined as void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
