import { type Command } from 'commander';
import { gpuModelIds } from '@gantry/domain';
import { Job } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { jobStateName } from '../format/states';
import { action, collect, examples, type Report } from '../program-kit';
import { specFromFlags, type SubmitFlags } from '../spec/job-spec-input';
import { toProtoSpec } from '../spec/proto-spec';
import { rendererFor, watchToEnd } from '../watch/watch-job';

interface SubmitOptions extends SubmitFlags {
  readonly idempotencyKey?: string;
  readonly parsable?: boolean;
  readonly wait?: boolean;
}

export function registerSubmit(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('submit')
    .description('submit a job: a command to run on N GPUs of one node, or simulated GPU work')
    .argument('[command...]', 'the program and its arguments, after --')
    .option('--gpus <n>', 'GPUs the job needs, all on one node (0-64)', '1')
    .option('--gpu-model <model>', `a GPU model: ${gpuModelIds().join(', ')} (default: any)`)
    .option('--queue <queue>', 'the queue to charge (default: "default")')
    .option('--priority <p>', 'higher runs first, 0-1000 (default: 100)')
    .option('--name <name>', 'a name for people (default: the program name)')
    .option('--env <KEY=VALUE>', 'an environment variable for the command (repeatable)', collect)
    .option('--label <KEY=VALUE>', 'a label on the job (repeatable)', collect)
    .option('--workdir <dir>', 'absolute working directory on the node (default: a fresh one)')
    .option('--time-limit <duration>', 'stop the job after this long: 1h30m, 45m, 90s, 2d')
    .option('--idempotency-key <key>', 'retrying with the same key and spec returns the same job')
    .option('--simulate <gpu-seconds>', 'run simulated work instead of a command (no GPU needed)')
    .option('--simulate-exit-code <code>', 'the exit code a simulated job ends with (default 0)')
    .option('--parsable', 'print only the job id')
    .option('--wait', 'follow the job like `gantry watch` and exit by how it ended')
    .addHelpText(
      'after',
      examples(
        'gantry submit -- nvidia-smi',
        'gantry submit --gpus 4 --gpu-model H100-80GB --time-limit 1h30m -- python train.py --lr 3e-4',
        'gantry submit --gpus 2 --env HF_HOME=/data/hf --queue rl --priority 200 -- ./rollouts.sh',
        'gantry submit --gpus 8 --simulate 3600 --name sim-8gpu',
        'JOB=$(gantry submit --parsable -- sh -c "echo GANTRY_PROGRESS 0.5 halfway; sleep 5")',
        'gantry submit --wait -- sh -c "exit 3"; echo $?    # 10: the job failed',
      ) +
        "\nThe spec is checked locally with the server's own rules before it is sent.\n" +
        'A command may report progress by printing lines `GANTRY_PROGRESS <0-1> <message>`.\n' +
        'With --wait the exit code is 0 when the job succeeded, 10 failed, 11 cancelled.\n',
    )
    .action(
      action<SubmitOptions>(report, async ({ args, options, globals }) => {
        const command = (args[0] as string[] | undefined) ?? [];
        const spec = specFromFlags(options, command);
        const api = await env.connect(globals);
        const { job, created } = await api.submitJob({
          spec: toProtoSpec(spec),
          idempotencyKey: options.idempotencyKey ?? '',
        });
        if (!job) throw new Error("the server's reply has no job");
        if (options.parsable) writeLine(env.stdout, job.id);
        else if (globals.output === 'json' && !options.wait)
          writeJson(env.stdout, { job: Job.toJSON(job), created });
        else
          writeLine(
            globals.output === 'json' ? env.stderr : env.stdout,
            `${job.id} ${jobStateName(job.state)}${created ? '' : ' (an earlier submit with this idempotency key)'}`,
          );
        if (!options.wait) return 0;
        return watchToEnd(env, api, job.id, 0, rendererFor(env, globals.output));
      }),
    );
}
