import { type Command } from 'commander';
import { gpuModelIds } from '@gantry/domain';
import { type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { renderSubmit } from '../format/submit-view';
import { action, collect, examples, type Report } from '../program-kit';
import { specFileExamplesHelp } from '../spec-file/examples';
import { prepareSpecFile } from '../spec-file/prepare-spec-file';
import { uploadLocalFiles, type UploadedInput } from '../spec-file/upload-local-files';
import { parseArray } from '../spec/array-and-dependencies';
import { specFromFlags, type SubmitFlags } from '../spec/job-spec-input';
import { toProtoSpec } from '../spec/proto-spec';
import { rendererFor, watchToEnd } from '../watch/watch-job';

interface SubmitOptions extends SubmitFlags {
  /** `-f FILE`: the spec from a YAML or JSON file (`-`: stdin). */
  readonly file?: string;
  readonly array?: string;
  readonly idempotencyKey?: string;
  readonly parsable?: boolean;
  readonly wait?: boolean;
}

/** After a refused submit, says which fresh uploads the server now keeps, and how to reuse them. */
function noteKeptUploads(env: CliEnvironment, uploaded: readonly UploadedInput[]): void {
  for (const u of uploaded.filter((x) => !x.reused))
    env.stderr.write(
      `gantry: note: ${u.path} was uploaded as ${u.file.id} and is kept: name it with ` +
        `${u.path.replace(/.*\./, '')}_id, or remove it with gantry files delete ${u.file.id}\n`,
    );
}

export function registerSubmit(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('submit')
    .description(
      'submit a job: a command to run on N GPUs of one node or of several nodes, simulated GPU ' +
        'work, or any kind from a spec file (batch inference, reasoning, RL synthetic data)',
    )
    .argument('[command...]', 'the program and its arguments, after --')
    .option(
      '-f, --file <path>',
      'the spec from a YAML or JSON file ("-": stdin); the flags below override it',
    )
    .option('--gpus <n>', 'GPUs the job needs on each node (0-64, default 1)')
    .option(
      '--nodes <n>',
      'nodes the job needs, --gpus each, started together or not at all (1-256, default 1)',
    )
    .option('--gpu-model <model>', `a GPU model: ${gpuModelIds().join(', ')} (default: any)`)
    .option('--queue <queue>', 'the queue to charge (default: "default")')
    .option('--priority <p>', 'higher runs first within its class, 0-1000 (default: 100)')
    .option('--class <name>', 'priority class: importance and preemptibility (default: batch)')
    .option(
      '--lease <lease-id>',
      'renters: run inside this lease, on its GPUs (gantry lease create)',
    )
    .option(
      '--after <job[:ok|any|failed]>',
      'start only after this job succeeded (ok, the default), ended (any) or failed (repeatable)',
      collect,
    )
    .option('--array <first-last>', 'submit a job array, one job per index: 0-99 (at most 10,000)')
    .option('--name <name>', 'a name for people (default: the program name)')
    .option('--env <KEY=VALUE>', 'an environment variable for the command (repeatable)', collect)
    .option('--label <KEY=VALUE>', 'a label on the job (repeatable)', collect)
    .option('--workdir <dir>', 'absolute working directory on the node (default: a fresh one)')
    .option('--time-limit <duration>', 'stop the job after this long: 1h30m, 45m, 90s, 2d')
    .option('--idempotency-key <key>', 'retrying with the same key and spec returns the same job')
    .option('--simulate <gpu-seconds>', 'run simulated work instead of a command (no GPU needed)')
    .option('--simulate-exit-code <code>', 'the exit code a simulated job ends with (default 0)')
    .option('--parsable', 'print only the job id (an array: every element id, one per line)')
    .option('--wait', 'follow the job like `gantry watch` and exit by how it ended')
    .addHelpText(
      'after',
      examples(
        'gantry submit -- nvidia-smi',
        'gantry submit --gpus 4 --gpu-model H100-80GB --time-limit 1h30m -- python train.py --lr 3e-4',
        'gantry submit --gpus 2 --env HF_HOME=/data/hf --queue rl --priority 200 -- ./rollouts.sh',
        'gantry submit --gpus 8 --simulate 3600 --name sim-8gpu',
        'gantry submit --class serving --gpus 1 -- python serve.py',
        'gantry submit --nodes 4 --gpus 8 --gpu-model H100-80GB -- torchrun train.py   # 32 GPUs',
        "gantry submit --array 0-99 --gpus 1 -- sh -c 'python shard.py $GANTRY_ARRAY_INDEX'",
        'gantry submit --after job_01jd8zq3m2x7 --after job_01jd8zq9k4w1:any -- python eval.py',
        'IDS=$(gantry submit --array 0-9 --parsable --simulate 60)   # ten ids, one per line',
        'JOB=$(gantry submit --parsable -- sh -c "echo GANTRY_PROGRESS 0.5 halfway; sleep 5")',
        'gantry submit --wait -- sh -c "exit 3"; echo $?    # 10: the job failed',
        'gantry submit -f batch.yaml                  # uploads ./requests.jsonl, then submits',
        'gantry submit -f reasoning.yaml --wait       # follow it, then: gantry results JOB',
        'gantry submit -f rl.yaml --queue rl --class rl-rollout --name math-rl',
        'cat train.json | gantry submit -f - --parsable',
        'gantry submit --lease lease_01jf... --gpus 4 -- python train.py   # renters: in a lease',
      ) +
        '\nSpec files (-f) hold gantry.v1.JobSpec fields by their snake_case names and exactly\n' +
        'one workload: command, simulated, inference_batch, inference_reasoning, rl_synthetic\n' +
        '(docs/job-kinds.md). Durations (time_limit, completion_window) take 24h, 90m, 1h30m or\n' +
        'seconds; input_file / problems_file name local files, relative to the spec file, that\n' +
        'are uploaded first. Unknown fields are errors, reported with their line. With -f, the\n' +
        '--name, --queue, --priority, --class, --lease, --gpus, --nodes, --gpu-model and\n' +
        "--time-limit flags replace the file's value, --label and --after add to it; a command after --,\n" +
        '--simulate, --env and --workdir belong in the file. Examples:\n' +
        `${specFileExamplesHelp()}\n` +
        "\nA command or simulated spec (flags or -f) is checked locally with the server's own\n" +
        'rules before it is sent; the inference kinds are checked by the server, and its\n' +
        "messages point at the spec file's lines.\n" +
        'A command may report progress by printing lines `GANTRY_PROGRESS <0-1> <message>`\n' +
        'and checkpoints by printing `GANTRY_CHECKPOINT <message>` (or: gantry checkpoint JOB).\n' +
        'Array elements get GANTRY_ARRAY_ID and GANTRY_ARRAY_INDEX in their environment.\n' +
        'Each node of a multi-node job runs the command once, with GANTRY_NODE_RANK,\n' +
        "GANTRY_NUM_NODES, MASTER_ADDR/MASTER_PORT (rank 0) and torchrun's PET_* variables.\n" +
        'If one node fails, the others are stopped and the job ends by that failure.\n' +
        "A renter's job names its lease (--lease, or lease_id: in a spec file) and runs on the\n" +
        "lease's GPUs, on its node, without queueing behind other work; one that does not fit\n" +
        "the lease's free GPUs waits (WaitingForLeaseCapacity).\n" +
        'With --wait the exit code is 0 when the job succeeded, 10 failed, 11 cancelled.\n',
    )
    .action(
      action<SubmitOptions>(report, async ({ args, options, globals }) => {
        const command = (args[0] as string[] | undefined) ?? [];
        const file =
          options.file === undefined
            ? undefined
            : await prepareSpecFile(options.file, options, command, env);
        const flagSpec = file ? undefined : toProtoSpec(specFromFlags(options, command));
        const array = parseArray(options.array);
        if (array && options.wait)
          throw new UsageError(
            '--wait follows one job, not an array; follow an element with gantry watch JOB_ID',
          );
        const api = await env.connect(globals);
        const reuse = options.idempotencyKey !== undefined;
        const uploaded = file ? await uploadLocalFiles(file.file, api, env, reuse) : [];
        let response;
        try {
          response = await api.submitJob({
            spec: file ? file.spec() : flagSpec!,
            idempotencyKey: options.idempotencyKey ?? '',
            array,
          });
        } catch (error) {
          noteKeptUploads(env, uploaded);
          throw file ? file.locate(error) : error;
        }
        const printed = renderSubmit(response, {
          output: globals.output,
          parsable: options.parsable === true,
          wait: options.wait === true,
          array,
        });
        env.stdout.write(printed.stdout);
        env.stderr.write(printed.stderr);
        if (!options.wait || !response.job) return 0;
        return watchToEnd(env, api, response.job.id, 0, rendererFor(env, globals.output));
      }),
    );
}
