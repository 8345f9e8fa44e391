import { parseJobSpec, ValidationError } from '@gantry/domain';
import { specInput } from '@gantry/grpc';
import { type JobSpec } from '@gantry/proto';
import { readAll, type CliEnvironment } from '../cli-environment';
import { type SubmitFlags } from '../spec/job-spec-input';
import { toProtoSpec } from '../spec/proto-spec';
import { applyFileFlags, refuseWorkloadFlags } from './file-flags';
import { buildSpec, loadSpecFile, type SpecFile } from './load-spec-file';
import { locateViolations } from './server-errors';

/** A spec file read, checked and overridden by flags, ready for its uploads and the submit. */
export interface PreparedSpecFile {
  readonly file: SpecFile;
  /** The spec to send; call it after uploadLocalFiles has put the files' ids in. */
  spec(): JobSpec;
  /** A ValidationError from the server, pointed at the file's lines; other errors as they are. */
  locate(error: unknown): unknown;
}

/**
 * `gantry submit -f FILE`: reads and decodes the file, applies the flags over it, and checks a
 * `command` or `simulated` spec locally with the server's own rules (parseJobSpec, as flags are
 * checked), sending it with every default applied. The inference kinds are checked by the server,
 * whose messages are pointed at the file's lines. Nothing is sent here.
 */
export async function prepareSpecFile(
  path: string,
  flags: SubmitFlags,
  command: readonly string[],
  env: Pick<CliEnvironment, 'stdin' | 'cwd'>,
): Promise<PreparedSpecFile> {
  refuseWorkloadFlags(flags, command);
  const file = await loadSpecFile(path, () => readAll(env.stdin), env.cwd);
  const fromFlags = applyFileFlags(file, flags);
  const locate = (error: unknown) =>
    error instanceof ValidationError ? locateViolations(error, file, fromFlags) : error;
  let checked: JobSpec | undefined;
  if (file.workload === 'command' || file.workload === 'simulated') {
    try {
      checked = toProtoSpec(parseJobSpec(specInput(buildSpec(file))));
    } catch (error) {
      throw locate(error);
    }
  }
  return { file, spec: () => checked ?? buildSpec(file), locate };
}
