import { type Command } from 'commander';
import { gpuModelIds } from '@gantry/domain';
import { type CliEnvironment } from '../cli-environment';
import { UsageError } from '../errors/cli-errors';
import { renderSubmit } from '../format/submit-view';
import { action, collect, examples, type Report } from '../program-kit';
import { parseArray } from '../spec/array-and-dependencies';
import { specFromFlags, type SubmitFlags } from '../spec/job-spec-input';
import { toProtoSpec } from '../spec/proto-spec';
import { rendererFor, watchToEnd } from '../watch/watch-job';

interface SubmitOptions extends SubmitFlags {
  readonly array?: string;
  readonly idempotencyKey?: string;
  readonly parsable?: boolean;
  readonly wait?: boolean;
}

export function registerSubmit(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('submit')
    .description(
      'submit a job: a command to run on N GPUs of one node or of several nodes, or simulated GPU work',
    )
    .argument('[command...]', 'the program and its arguments, after --')
    .option('--gpus <n>', 'GPUs the job needs on each node (0-64)', '1')
    .option(
      '--nodes <n>',
      'nodes the job needs, --gpus each, started together or not at all (1-256, default 1)',
    )
    .option('--gpu-model <model>', `a GPU model: ${gpuModelIds().join(', ')} (default: any)`)
    .option('--queue <queue>', 'the queue to charge (default: "default")')
    .option('--priority <p>', 'higher runs first within its class, 0-1000 (default: 100)')
    .option('--class <name>', 'priority class: importance and preemptibility (default: batch)')
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
      ) +
        "\nThe spec is checked locally with the server's own rules before it is sent.\n" +
        'A command may report progress by printing lines `GANTRY_PROGRESS <0-1> <message>`\n' +
        'and checkpoints by printing `GANTRY_CHECKPOINT <message>` (or: gantry checkpoint JOB).\n' +
        'Array elements get GANTRY_ARRAY_ID and GANTRY_ARRAY_INDEX in their environment.\n' +
        'Each node of a multi-node job runs the command once, with GANTRY_NODE_RANK,\n' +
        "GANTRY_NUM_NODES, MASTER_ADDR/MASTER_PORT (rank 0) and torchrun's PET_* variables.\n" +
        'If one node fails, the others are stopped and the job ends by that failure.\n' +
        'With --wait the exit code is 0 when the job succeeded, 10 failed, 11 cancelled.\n',
    )
    .action(
      action<SubmitOptions>(report, async ({ args, options, globals }) => {
        const command = (args[0] as string[] | undefined) ?? [];
        const spec = specFromFlags(options, command);
        const array = parseArray(options.array);
        if (array && options.wait)
          throw new UsageError(
            '--wait follows one job, not an array; follow an element with gantry watch JOB_ID',
          );
        const api = await env.connect(globals);
        const response = await api.submitJob({
          spec: toProtoSpec(spec),
          idempotencyKey: options.idempotencyKey ?? '',
          array,
        });
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
