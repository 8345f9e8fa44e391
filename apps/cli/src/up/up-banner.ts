import { renderFields } from '../format/table';
import { paths } from './child-env';
import { type RunningCluster } from './start-cluster';
import { type UpOptions } from './up-options';

/** What `gantry up` prints once the cluster is ready: where it listens and how to use it. */
export function renderBanner(
  options: UpOptions,
  cluster: RunningCluster,
  contextFile: string,
): string {
  const fields = renderFields([
    [
      'gRPC endpoint',
      `${cluster.endpoint}  (JobService, AdminService, RentalService, FileService)`,
    ],
    ['HTTP', `${cluster.httpUrl}/readyz  ${cluster.httpUrl}/metrics`],
    [
      'portal',
      `${cluster.httpUrl}/portal/  (log in with an API key: the admin key is in the context)`,
    ],
    [
      'nodes',
      `${cluster.nodeNames.join(', ')}  (${options.gpus} each, SIMULATED GPUs and inference engine)`,
    ],
    ['Redis', cluster.redis],
    ['data', options.dataDir],
    [
      'files',
      `${paths.storage(options.dataDir)}  (uploads and job outputs, shared by every process)`,
    ],
    ['logs', cluster.logsDir],
    ['context', `${contextFile}  (endpoint + admin key, used by the other commands)`],
  ]);
  const next = options.demo
    ? 'Running the demo workload...'
    : [
        'Try it from another terminal:',
        `  npx gantry submit --gpus 2 -- sh -c 'echo GANTRY_PROGRESS 0.5 halfway; sleep 5; echo done'`,
        '  npx gantry submit --gpus 8 --simulate 60 --name big-sim',
        '  npx gantry submit -f batch.yaml   # inference on the simulated engine (docs/job-kinds.md)',
        '  npx gantry list',
        '  npx gantry watch <job-id>',
        '  npx gantry nodes',
        'Ctrl-C stops the cluster (the data dir keeps jobs and keys for the next `gantry up`).',
      ].join('\n');
  return `\nGantry is up.\n${fields.replace(/^/gm, '  ')}\n\n${next}\n`;
}
