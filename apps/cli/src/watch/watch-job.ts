import { type CliEnvironment, type OutputFormat } from '../cli-environment';
import { type GantryApi } from '../connection/grpc-api';
import { applyEvent, initialView, outcomeExitCode } from './job-view-state';
import { followJob } from './follow-job';
import { jsonRenderer, liveRenderer, plainRenderer, type WatchRenderer } from './watch-renderers';

export function rendererFor(env: CliEnvironment, output: OutputFormat): WatchRenderer {
  if (output === 'json') return jsonRenderer(env.stdout, env.stderr);
  if (env.stdout.isTTY) return liveRenderer(env.stdout, () => env.now());
  return plainRenderer(env.stdout, env.stderr);
}

/**
 * Follows a job to its end (`watch`, `submit --wait`) and returns the exit code its final
 * state calls for: 0 succeeded, 10 failed, 11 cancelled.
 */
export async function watchToEnd(
  env: CliEnvironment,
  api: Pick<GantryApi, 'watchJob' | 'endpoint'>,
  jobId: string,
  fromSequence: number,
  renderer: WatchRenderer,
): Promise<number> {
  let view = initialView(jobId);
  const events = followJob(api, jobId, {
    fromSequence,
    sleep: (ms) => env.sleep(ms),
    onRetry: (error, delayMs, next) =>
      renderer.retry(
        `lost the stream from ${api.endpoint} (${error instanceof Error ? error.message : String(error)}); ` +
          `resuming from event ${next} in ${(delayMs / 1000).toFixed(1)}s`,
      ),
  });
  for await (const event of events) {
    view = applyEvent(view, event);
    renderer.event(event, view);
  }
  renderer.finish(view);
  return outcomeExitCode(view.state);
}
