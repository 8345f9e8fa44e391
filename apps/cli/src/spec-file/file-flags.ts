import { UsageError } from '../errors/cli-errors';
import { parseAfter, protoCondition } from '../spec/array-and-dependencies';
import { parseDuration } from '../spec/duration';
import { leaseFlag, parsePairs, type SubmitFlags } from '../spec/job-spec-input';
import { toDuration } from '@gantry/grpc';
import { type SpecFile } from './load-spec-file';

/**
 * `-f` names the workload, so the flags that describe one (a command after `--`, --simulate,
 * --simulate-exit-code, --env, --workdir) cannot go with it: bad usage, before anything is read.
 */
export function refuseWorkloadFlags(flags: SubmitFlags, command: readonly string[]): void {
  const clash =
    command.length > 0
      ? 'a command after --'
      : flags.simulate !== undefined
        ? '--simulate'
        : flags.simulateExitCode !== undefined
          ? '--simulate-exit-code'
          : flags.env !== undefined
            ? '--env'
            : flags.workdir !== undefined
              ? '--workdir'
              : undefined;
  if (clash)
    throw new UsageError(
      `-f takes the workload from the spec file; ${clash} cannot go with it (put it in the file)`,
    );
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\s*-?\d+\s*$/.test(text))
    throw new UsageError(`${flag}: must be a whole number (got '${text}')`);
  return Number(text);
}

/**
 * Applies the flags given with -f over the file: --name, --queue, --priority, --class, --lease,
 * --gpus, --nodes, --gpu-model and --time-limit replace the file's value; --label adds or replaces one
 * label; --after adds a dependency. Returns the spec paths the flags set, so that a problem
 * with one of them names the flag's value rather than a line of the file.
 */
export function applyFileFlags(file: SpecFile, flags: SubmitFlags): Set<string> {
  const draft = file.draft;
  const set = new Set<string>();
  const put = (path: string, key: string, value: unknown) => {
    if (value === undefined) return;
    draft[key] = value;
    set.add(path);
  };
  put('name', 'name', flags.name);
  put('queue', 'queue', flags.queue);
  put('priority', 'priority', wholeNumber(flags.priority, '--priority'));
  put('priority_class', 'priorityClass', flags.class);
  put('lease_id', 'leaseId', leaseFlag(flags.lease));
  if (flags.timeLimit !== undefined)
    put('time_limit', 'timeLimit', toDuration(parseDuration(flags.timeLimit, '--time-limit')));
  const resources = { ...(draft.resources as Record<string, unknown> | undefined) };
  const resource = (path: string, key: string, value: unknown) => {
    if (value === undefined) return;
    resources[key] = value;
    set.add(`resources.${path}`);
  };
  resource('gpus', 'gpus', wholeNumber(flags.gpus, '--gpus'));
  resource('nodes', 'nodes', wholeNumber(flags.nodes, '--nodes'));
  resource('gpu_model', 'gpuModel', flags.gpuModel);
  if (Object.keys(resources).length > 0) draft.resources = resources;
  const labels = parsePairs(flags.label, '--label');
  if (Object.keys(labels).length > 0) {
    draft.labels = { ...(draft.labels as Record<string, string> | undefined), ...labels };
    for (const key of Object.keys(labels)) set.add(`labels.${key}`);
  }
  const added = parseAfter(flags.after);
  if (added.length > 0) {
    const dependencies = [...((draft.dependencies as unknown[] | undefined) ?? [])];
    for (const d of added) {
      set.add(`dependencies[${dependencies.length}]`);
      dependencies.push({ jobId: d.job_id, condition: protoCondition(d.condition) });
    }
    draft.dependencies = dependencies;
  }
  return set;
}
