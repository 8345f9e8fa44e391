import type { Timers, TimerHandle } from '../../ports';
import type { EngineLease } from '../engine-lease';
import type { EngineRequest } from '../engine-request';
import type { WarmEngine } from '../managed-engine';
import type { ProgramEngine } from './engine-program';

/** The engines of this node as a task needs them (EngineManager); defined where it is used. */
export interface EngineSource {
  acquire(request: EngineRequest, signal?: AbortSignal): Promise<EngineLease>;
  warmEngines(): readonly WarmEngine[];
  engineName(preset: string): string;
}

export interface AcquireEngine {
  readonly engines: EngineSource;
  readonly engine: ProgramEngine;
  readonly gpuIndices: readonly number[];
  /** The task's stop: abandons the wait (the engine keeps starting for others). */
  readonly signal: AbortSignal;
  /** Between two "still waiting" lines. */
  readonly noticeMs: number;
  readonly log: (line: string) => void;
  readonly timers: Timers;
}

/**
 * A lease on the task's engine, telling the task's log what happens: `starting engine vllm for
 * m@main on GPUs 0,1` (or `using the warm engine ...`), every `noticeMs` while it starts `still
 * waiting for engine ... (30 s)`, and `engine ... ready at <url>`. Rejects as
 * EngineManager.acquire does (a ValidationError for an engine this node cannot start).
 */
export async function acquireEngine(a: AcquireEngine): Promise<EngineLease> {
  const { model, revision, preset } = a.engine;
  const name = a.engines.engineName(preset);
  const gpus = [...new Set(a.gpuIndices)].sort((x, y) => x - y);
  const what = `${name} for ${model}@${revision} on GPUs ${gpus.join(',')}`;
  const warm = a.engines
    .warmEngines()
    .some(
      (e) =>
        e.state === 'ready' &&
        e.preset === name &&
        e.model === model &&
        e.revision === revision &&
        e.gpuIndices.join(',') === gpus.join(','),
    );
  a.log(warm ? `using the warm engine ${what}` : `starting engine ${what}`);
  let waited = 0;
  const remind = () => {
    waited += a.noticeMs;
    a.log(`still waiting for engine ${what} (${waited / 1000} s)`);
    notice = a.timers.setTimeout(remind, a.noticeMs);
  };
  let notice: TimerHandle = a.timers.setTimeout(remind, a.noticeMs);
  try {
    const lease = await a.engines.acquire({ model, revision, preset, gpuIndices: gpus }, a.signal);
    a.log(`engine ${what} ready at ${lease.baseUrl}`);
    return lease;
  } finally {
    a.timers.clearTimeout(notice);
  }
}
