import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type Command } from 'commander';
import { File } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { downloadToPath, downloadToStream, uploadLocalFile } from '../files/transfer';
import { renderFileDetails, renderFileTable } from '../format/file-view';
import { formatBytes, transferProgress } from '../format/transfer-progress';
import { action, examples, type Report } from '../program-kit';
import { fileProblem } from '../spec-file/load-spec-file';
import { parseLimit } from './list';

/**
 * Where `files download` writes: `--to PATH`, into a folder under the file's own name, or by
 * default the file's name in the working directory (`cwd` resolves relative paths).
 */
async function destination(to: string | undefined, file: File, cwd: string): Promise<string> {
  const name = basename(file.filename);
  const safe = name === '' || name === '.' || name === '..' ? file.id : name;
  if (to === undefined) return safe;
  const isDir = await stat(resolve(cwd, to)).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDir ? join(to, safe) : to;
}

/** The size of a local file to upload; a usage error when it is missing or not a file. */
async function localFileSize(path: string, given: string): Promise<number> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UsageError(`${given}: ${fileProblem(error)}`);
  }
  if (!info.isFile()) throw new UsageError(`${given}: is not a file`);
  return info.size;
}

/** `requests.jsonl (1,000 lines, 26.5 MiB)`. */
function summary(file: File): string {
  return `${file.filename} (${file.lines.toLocaleString('en-US')} lines, ${formatBytes(file.bytes)})`;
}

export function registerFiles(program: Command, env: CliEnvironment, report: Report): void {
  const files = program
    .command('files')
    .description(
      'your files: batch request lines and RL problems in, batch outputs and datasets out',
    )
    .addHelpText(
      'after',
      examples(
        'gantry files upload requests.jsonl',
        'gantry files list',
        'gantry files download file_01jd8zq3m2x7 --to out/',
        'gantry files delete file_01jd8zq3m2x7',
      ),
    );

  files
    .command('upload')
    .description('upload a local file (shown with progress on a terminal); prints its id')
    .argument('<path>', 'the local file')
    .option('--name <name>', 'the name to store it under (default: the file name)')
    .option('--parsable', 'print only the file id')
    .addHelpText(
      'after',
      examples(
        'gantry files upload requests.jsonl',
        'FILE=$(gantry files upload problems.jsonl --parsable)   # then problems_file_id: $FILE',
        'gantry files upload ./data/part-1.jsonl --name eval-set.jsonl -o json',
      ),
    )
    .action(
      action<{ name?: string; parsable?: boolean }>(report, async ({ args, options, globals }) => {
        const path = String(args[0]);
        const size = await localFileSize(resolve(env.cwd, path), path);
        const name = options.name ?? basename(path);
        const api = await env.connect(globals);
        const progress = transferProgress(env.stderr, () => env.now(), `uploading ${name}`, size);
        const file = await uploadLocalFile(api, resolve(env.cwd, path), name, progress);
        if (options.parsable) writeLine(env.stdout, file.id);
        else if (globals.output === 'json') writeJson(env.stdout, File.toJSON(file));
        else writeLine(env.stdout, `${file.id} ${summary(file)}`);
        return 0;
      }),
    );

  files
    .command('list')
    .alias('ls')
    .description('list your files, newest first')
    .option('--limit <n>', 'files per page, 1-1000', '100')
    .option('--all-pages', 'fetch every page, not only the first')
    .addHelpText(
      'after',
      examples('gantry files list', 'gantry files list --all-pages -o json | jq -r ".files[].id"'),
    )
    .action(
      action<{ limit: string; allPages?: boolean }>(report, async ({ options, globals }) => {
        const limit = parseLimit(options.limit);
        const api = await env.connect(globals);
        const listed: File[] = [];
        let pageToken = '';
        do {
          const page = await api.listFiles({ pageSize: limit, pageToken });
          listed.push(...page.files);
          pageToken = page.nextPageToken;
        } while (options.allPages && pageToken !== '');
        if (globals.output === 'json') {
          writeJson(env.stdout, {
            files: listed.map((f) => File.toJSON(f)),
            ...(pageToken ? { nextPageToken: pageToken } : {}),
          });
          return 0;
        }
        writeLine(env.stdout, renderFileTable(listed, env.now(), globals.output === 'wide'));
        if (pageToken) env.stderr.write('(more files: raise --limit or pass --all-pages)\n');
        return 0;
      }),
    );

  files
    .command('get')
    .description("show one file's metadata: name, size, lines, SHA-256, the job that made it")
    .argument('<file-id>', 'the file, e.g. file_01jd8z...')
    .action(
      action(report, async ({ args, globals }) => {
        const api = await env.connect(globals);
        const file = await api.getFile(String(args[0]));
        if (globals.output === 'json') writeJson(env.stdout, File.toJSON(file));
        else writeLine(env.stdout, renderFileDetails(file, env.now()));
        return 0;
      }),
    );

  files
    .command('download')
    .description('download a file, checked against its size and SHA-256')
    .argument('<file-id>', 'the file')
    .option(
      '--to <path>',
      'a file, a folder (the file keeps its name), or - for stdout (default: ./NAME)',
    )
    .addHelpText(
      'after',
      examples(
        'gantry files download file_01jd8zq3m2x7',
        'gantry files download file_01jd8zq3m2x7 --to results/',
        'gantry files download file_01jd8zq3m2x7 --to - | jq -c .response.body',
      ),
    )
    .action(
      action<{ to?: string }>(report, async ({ args, options, globals }) => {
        const api = await env.connect(globals);
        const file = await api.getFile(String(args[0]));
        if (options.to === '-') {
          await downloadToStream(api, file, env.stdout);
          return 0;
        }
        const path = await destination(options.to, file, env.cwd);
        const progress = transferProgress(
          env.stderr,
          () => env.now(),
          `downloading ${file.filename}`,
          file.bytes,
        );
        await downloadToPath(api, file, resolve(env.cwd, path), progress);
        if (globals.output === 'json') writeJson(env.stdout, { file: File.toJSON(file), path });
        else writeLine(env.stdout, `${file.id} saved to ${path}: ${summary(file)}`);
        return 0;
      }),
    );

  files
    .command('delete')
    .description('delete a file (refused while a job that is not over reads it)')
    .argument('<file-id>', 'the file')
    .action(
      action(report, async ({ args, globals }) => {
        const id = String(args[0]);
        const api = await env.connect(globals);
        await api.deleteFile(id);
        if (globals.output === 'json') writeJson(env.stdout, { fileId: id, deleted: true });
        else writeLine(env.stdout, `${id} deleted`);
        return 0;
      }),
    );
}
