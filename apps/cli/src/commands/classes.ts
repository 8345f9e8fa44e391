import { type Command } from 'commander';
import { PriorityClass } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { describeClass, renderClassTable } from '../format/class-view';
import { action, examples, type Report } from '../program-kit';
import { classFromFlags, type ClassFlags } from '../spec/class-input';

export function registerClasses(program: Command, env: CliEnvironment, report: Report): void {
  const classes = program
    .command('classes')
    .description('manage priority classes: importance and preemptibility (needs an admin key)')
    .addHelpText(
      'after',
      examples(
        'gantry classes list',
        'gantry classes put serving --priority 1000 --no-preemptible',
        'gantry classes put batch --priority 500 --min-runtime 10m --grace 60s',
      ),
    );

  classes
    .command('list')
    .alias('ls')
    .description('list the priority classes, most important first')
    .addHelpText(
      'after',
      examples(
        'gantry classes list',
        'gantry classes list -o json | jq ".priorityClasses[].name"',
      ) +
        '\nA job may preempt only preemptible jobs of a lower class priority that have run at\n' +
        'least MIN RUNTIME; GRACE is the time between the notice (SIGTERM) and SIGKILL.\n',
    )
    .action(
      action(report, async ({ globals }) => {
        const api = await env.connect(globals);
        const list = await api.listPriorityClasses();
        if (globals.output === 'json')
          writeJson(env.stdout, { priorityClasses: list.map((c) => PriorityClass.toJSON(c)) });
        else writeLine(env.stdout, renderClassTable(list, globals.output === 'wide'));
        return 0;
      }),
    );

  classes
    .command('put')
    .description('create or replace a priority class (flags not given are reset to their defaults)')
    .argument('<name>', '1-63 lower-case letters, digits and "-"')
    .requiredOption(
      '--priority <p>',
      'required: importance, 0-1000; a job preempts only lower classes',
    )
    .option('--preemptible', 'jobs of this class may be preempted (the default)')
    .option('--no-preemptible', 'jobs of this class are never preempted')
    .option('--min-runtime <duration>', 'run at least this long before preemption (default: 0s)')
    .option('--grace <duration>', 'time from SIGTERM to SIGKILL when preempted (default: 30s)')
    .addHelpText(
      'after',
      examples(
        'gantry classes put serving --priority 1000 --no-preemptible',
        'gantry classes put batch --priority 500 --min-runtime 10m --grace 60s',
        'gantry classes put background --priority 100 --grace 10s',
      ) + '\nPut replaces the class: give every setting you want to keep.\n',
    )
    .action(
      action<ClassFlags>(report, async ({ args, options, globals }) => {
        const priorityClass = classFromFlags(String(args[0]), options);
        const api = await env.connect(globals);
        const saved = await api.putPriorityClass(priorityClass);
        if (globals.output === 'json') writeJson(env.stdout, PriorityClass.toJSON(saved));
        else writeLine(env.stdout, describeClass(saved));
        return 0;
      }),
    );
}
