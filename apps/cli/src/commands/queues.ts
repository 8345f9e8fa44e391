import { type Command } from 'commander';
import { Queue } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { describeQueue, renderQueueTable } from '../format/queue-view';
import { action, collect, examples, type Report } from '../program-kit';
import { queueFromFlags, type QueueFlags } from '../spec/queue-input';

export function registerQueues(program: Command, env: CliEnvironment, report: Report): void {
  const queues = program
    .command('queues')
    .description(
      'manage the queue tree: organizations, team queues, GPU quotas (needs an admin key)',
    )
    .addHelpText(
      'after',
      examples(
        'gantry queues list',
        'gantry queues put research --guaranteed H100-80GB=16 --max "*=32"',
        'gantry queues put rl --parent research --guaranteed H100-80GB=8 --weight 2',
        'gantry queues delete rl',
      ),
    );

  queues
    .command('list')
    .alias('ls')
    .description("show the queue tree with each queue's quotas and the GPUs its jobs hold now")
    .addHelpText(
      'after',
      examples('gantry queues list', 'gantry queues list -o json | jq ".queues[].name"') +
        '\nGUARANTEED: GPUs per model the queue always gets back (borrowers are preempted).\n' +
        'MAX: the most it may hold, borrowing included (- : no limit). "*" is every model not\n' +
        'listed. USED: what its jobs hold now. WEIGHT: its fair share among its siblings.\n',
    )
    .action(
      action(report, async ({ globals }) => {
        const api = await env.connect(globals);
        const list = await api.listQueues();
        if (globals.output === 'json')
          writeJson(env.stdout, { queues: list.map((q) => Queue.toJSON(q)) });
        else writeLine(env.stdout, renderQueueTable(list, globals.output === 'wide'));
        return 0;
      }),
    );

  queues
    .command('put')
    .description('create or replace a queue (flags not given are reset to their defaults)')
    .argument('<name>', '1-63 lower-case letters, digits and "-", starting with a letter')
    .option('--parent <queue>', 'the organization it belongs to (default: none, it is one)')
    .option(
      '--guaranteed <MODEL=GPUS>',
      'GPUs of a model it can always get back (repeatable)',
      collect,
    )
    .option(
      '--max <MODEL=GPUS>',
      'the most GPUs of a model it may hold (repeatable; default: no limit)',
      collect,
    )
    .option('--weight <w>', 'fair-share weight among its siblings (default: 1)')
    .addHelpText(
      'after',
      examples(
        'gantry queues put research --guaranteed H100-80GB=16 --max "*=32"',
        'gantry queues put rl --parent research --guaranteed H100-80GB=8 --guaranteed A100-80GB=4',
        'gantry queues put vision --parent research --max "*=8" --weight 0.5',
      ) +
        '\nMODEL is a GPU model (H100-80GB, ...) or "*" for every model not listed. Put replaces\n' +
        'the queue: give every setting you want to keep.\n',
    )
    .action(
      action<QueueFlags>(report, async ({ args, options, globals }) => {
        const queue = queueFromFlags(String(args[0]), options);
        const api = await env.connect(globals);
        const saved = await api.putQueue(queue);
        if (globals.output === 'json') writeJson(env.stdout, Queue.toJSON(saved));
        else writeLine(env.stdout, describeQueue(saved));
        return 0;
      }),
    );

  queues
    .command('delete')
    .description('remove a queue that has no child queues and no unfinished jobs')
    .argument('<name>', 'the queue')
    .addHelpText('after', examples('gantry queues delete vision'))
    .action(
      action(report, async ({ args, globals }) => {
        const name = String(args[0]);
        const api = await env.connect(globals);
        await api.deleteQueue(name);
        if (globals.output === 'json') writeJson(env.stdout, { name, deleted: true });
        else writeLine(env.stdout, `queue ${name} deleted`);
        return 0;
      }),
    );
}
