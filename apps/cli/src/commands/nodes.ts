import { type Command } from 'commander';
import { Node } from '@gantry/proto';
import { writeJson, writeLine, type CliEnvironment } from '../cli-environment';
import { renderNodeTable } from '../format/node-view';
import { action, examples, type Report } from '../program-kit';

export function registerNodes(program: Command, env: CliEnvironment, report: Report): void {
  program
    .command('nodes')
    .description('list the nodes, their GPUs and what they run (needs an admin key)')
    .addHelpText(
      'after',
      examples('gantry nodes', 'gantry nodes -o wide', 'gantry nodes -o json | jq ".nodes[].name"'),
    )
    .action(
      action(report, async ({ globals }) => {
        const api = await env.connect(globals);
        const nodes = await api.listNodes();
        if (globals.output === 'json')
          writeJson(env.stdout, { nodes: nodes.map((node) => Node.toJSON(node)) });
        else writeLine(env.stdout, renderNodeTable(nodes, env.now(), globals.output === 'wide'));
        return 0;
      }),
    );
}
