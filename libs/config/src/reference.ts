import { cliSpec } from './cli';
import { controlPlaneSpec } from './control-plane';
import { nodeAgentSpec } from './node-agent';
import type { Spec } from './variable';

const SECTIONS: ReadonlyArray<[string, Spec]> = [
  ['Control plane (`apps/control-plane`)', controlPlaneSpec],
  ['Node agent (`apps/node-agent`)', nodeAgentSpec],
  ['CLI (`gantry`)', cliSpec],
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * The configuration reference as Markdown tables, generated from the variable definitions so it
 * cannot drift (a test compares it with the README).
 */
export function renderConfigReference(): string {
  const out: string[] = [];
  for (const [title, spec] of SECTIONS) {
    out.push(
      `#### ${title}`,
      '',
      '| variable | default | unit | meaning |',
      '| --- | --- | --- | --- |',
    );
    for (const variable of Object.values(spec)) {
      const fallback = variable.defaultText ?? (variable.optional ? '(unset)' : '**required**');
      out.push(
        `| \`${variable.name}\` | ${fallback === '' ? '(empty)' : cell(fallback.startsWith('(') || fallback.startsWith('**') ? fallback : `\`${fallback}\``)} | ${variable.unit ?? ''} | ${cell(variable.doc)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
