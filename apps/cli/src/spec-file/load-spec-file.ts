import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { JobSpec } from '@gantry/proto';
import { UsageError } from '../errors/cli-errors';
import { decodeSpec, type LocalFileRef } from './decode';
import { jobSpecShape } from './job-spec-shapes';
import { camelCase } from './shapes';
import { SpecFileError, type SpecProblem } from './spec-file-error';
import { nearestLine, parseSpecSource, type SpecSource } from './spec-source';

/** A spec file is small: request lines and problems belong in input_file / problems_file. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

/** The workload a spec file names, by its field (`inference_batch`). */
export type WorkloadField =
  'command' | 'simulated' | 'inference_batch' | 'inference_reasoning' | 'rl_synthetic';

/** A decoded spec file, before its local files are uploaded and flags applied. */
export interface SpecFile {
  readonly source: SpecSource;
  readonly workload: WorkloadField;
  /** The spec in ts-proto's shape, still open to uploads' ids and flags (see build). */
  readonly draft: Record<string, unknown>;
  readonly localFiles: readonly LocalFileRef[];
}

/** The gantry.v1.JobSpec of a draft, every unset field at its proto default. */
export function buildSpec(file: SpecFile): JobSpec {
  // The draft was built by decodeSpec against JobSpec's shapes (and applyFileFlags), field by
  // field; fromPartial fills in what the file left unset.
  return JobSpec.fromPartial(file.draft as Parameters<typeof JobSpec.fromPartial>[0]);
}

/**
 * Reads `-f FILE` (`-` for stdin), parses YAML or JSON and decodes it against JobSpec, and checks
 * that the local files it names exist. Every problem is reported at once, with its line.
 */
export async function loadSpecFile(
  path: string,
  readStdin: () => Promise<string>,
  cwd: string,
): Promise<SpecFile> {
  const fromStdin = path === '-';
  const name = fromStdin ? '<stdin>' : path;
  const text = fromStdin ? await readStdin() : await readSpecText(path);
  if (Buffer.byteLength(text) > MAX_SPEC_FILE_BYTES)
    throw new SpecFileError(name, [
      {
        path: '',
        message:
          `is larger than ${MAX_SPEC_FILE_BYTES} bytes; request lines and problems belong ` +
          'in a file named by inference_batch.input_file or rl_synthetic.problems_file',
      },
    ]);
  const source = parseSpecSource(text, name, fromStdin ? cwd : dirname(resolve(cwd, path)));
  if (source.value === null || source.value === undefined)
    throw new SpecFileError(name, [
      { path: '', message: 'is empty; a job spec is a mapping of JobSpec fields' },
    ]);
  const decoded = decodeSpec(source, jobSpecShape);
  const problems = [...decoded.problems, ...(await missingFiles(source, decoded.localFiles))];
  if (problems.length > 0) throw new SpecFileError(name, problems);
  const draft = decoded.value as Record<string, unknown>;
  const workload = draft.workload as { $case: string };
  const field = Object.keys(source.value).find((k) => camelCase(k) === workload.$case);
  return { source, workload: field as WorkloadField, draft, localFiles: decoded.localFiles };
}

async function readSpecText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`-f ${path}: ${fileProblem(error)}`);
  }
}

async function missingFiles(
  source: SpecSource,
  refs: readonly LocalFileRef[],
): Promise<SpecProblem[]> {
  const problems: SpecProblem[] = [];
  for (const ref of refs) {
    const where = { path: ref.path, line: nearestLine(source, ref.path) };
    try {
      if (!(await stat(ref.localPath)).isFile())
        problems.push({ ...where, message: `${ref.given} is not a file (${ref.localPath})` });
    } catch (error) {
      problems.push({
        ...where,
        message: `cannot read ${ref.given} (${ref.localPath}): ${fileProblem(error)}`,
      });
    }
  }
  return problems;
}

/** `no such file`, `permission denied`, ... from a Node.js file-system error. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}
