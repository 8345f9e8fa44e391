/**
 * Prompt templates of reasoning steps: `{{question}}`, `{{item}}` (refine only) and
 * `{{<step id>}}` (that step's items joined by blank lines). Spaces inside the braces are
 * allowed (`{{ question }}`); anything else in double braces is left as written. The validator
 * and the executor both use these functions, so they never disagree on what a template names.
 */

/** The template variables that are not step ids. */
export const TEMPLATE_VARIABLES = ['question', 'item'] as const;

const REFERENCE = /\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g;

/** The names a template references, in order of first use, each once. */
export function templateReferences(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(REFERENCE)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The step ids a template references (every name but `question` and `item`). */
export function templateStepReferences(template: string): string[] {
  return templateReferences(template).filter(
    (name) => !(TEMPLATE_VARIABLES as readonly string[]).includes(name),
  );
}

/**
 * The template with every reference replaced by `valueOf(name)`; a reference whose value is
 * undefined stays as written (validation has rejected those before a job runs).
 */
export function renderTemplate(
  template: string,
  valueOf: (name: string) => string | undefined,
): string {
  return template.replace(REFERENCE, (whole, name: string) => valueOf(name) ?? whole);
}
