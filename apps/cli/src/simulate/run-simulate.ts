/**
 * `gantry simulate`, the imperative shell around the pure simulator: reads the trace and the
 * cluster, replays them through each policy (CPU time of decide() from process.cpuUsage),
 * shows progress on a TTY, prints the text or JSON report and writes the HTML page.
 */
import { writeFileSync } from 'node:fs';
import {
  createPolicy,
  renderHtmlReport,
  renderTextReport,
  simulate,
  toJsonReport,
  type SimulationReport,
} from '@gantry/scheduling';
import { writeJson, writeLine, type CliEnvironment, type OutputFormat } from '../cli-environment';
import { progressBar } from './progress-bar';
import type { SimulateOptions } from './simulate-options';
import { locateTrace, readCluster, readTrace, resolveTracesDir } from './trace-source';

/** CPU time of this thread (decide() runs on it), else of the process (Node < 23.9), in ms. */
export function processCpuMs(): number {
  const usage =
    typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export function runSimulate(
  env: CliEnvironment,
  options: SimulateOptions,
  output: OutputFormat,
): SimulationReport {
  const cluster = readCluster(options.cluster);
  const file = locateTrace(
    options.trace,
    resolveTracesDir(options.tracesDir, env.config.tracesDir),
  );
  const trace = readTrace(file);
  const progress = progressBar(env.stderr, () => env.now());
  let report: SimulationReport;
  try {
    report = simulate({
      traceName: file.name,
      trace,
      cluster,
      load: options.load,
      seed: options.seed,
      limit: options.limit,
      policies: options.policies.map(createPolicy),
      tenants: options.tenants,
      checkpointIntervalSeconds: options.checkpointIntervalSeconds,
      cpuTimeMs: processCpuMs,
      wallTimeMs: () => env.now(),
      onProgress: (policy, ended, total) => progress.update(policy, ended, total),
      ...(options.renters ? { renters: options.renters } : {}),
    });
  } finally {
    progress.done();
  }
  if (output === 'json') writeJson(env.stdout, toJsonReport(report));
  else writeLine(env.stdout, renderTextReport(report));
  if (options.html !== null) {
    writeFileSync(options.html, renderHtmlReport(report));
    if (output !== 'json') writeLine(env.stdout, `charts: ${options.html}`);
  }
  return report;
}
