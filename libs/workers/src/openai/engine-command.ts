import { ValidationError } from '@gantry/domain';

/**
 * The placeholders of an engine command template. Per engine: `{model}`, `{revision}`,
 * `{port}` (the free port the agent picked), `{gpus}` (how many GPUs: the tensor-parallel
 * size) and `{host}` (the address to listen on). Per agent: `{node}` (the Node.js binary) and
 * `{simulated_engine}` (the simulated engine's main.js), for the `simulated` preset.
 */
export const ENGINE_PLACEHOLDERS = [
  'model',
  'revision',
  'port',
  'gpus',
  'host',
  'node',
  'simulated_engine',
] as const;

export type EnginePlaceholder = (typeof ENGINE_PLACEHOLDERS)[number];

/** A checked command template: argv words, each possibly holding placeholders. */
export interface EngineCommandTemplate {
  /** The template as written. */
  readonly source: string;
  /** The words after quote removal, placeholders still in them (`--port={port}`). */
  readonly words: readonly string[];
  /** Every placeholder the template uses. */
  readonly placeholders: ReadonlySet<EnginePlaceholder>;
}

/** Anything in braces that could be meant as a placeholder: `{model}`, `{Model}`, `{}`. */
const BRACED = /\{([A-Za-z0-9_-]*)\}/g;

function isPlaceholder(name: string): name is EnginePlaceholder {
  return (ENGINE_PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Splits a command line into words as a shell would for plain words: whitespace separates,
 * '...' and "..." group (the quotes are removed; nothing is special inside them). No
 * variables, globs or escapes: the command runs without a shell.
 */
function splitWords(source: string, field: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const char of source) {
    if (quote !== null) {
      if (char === quote) quote = null;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + char;
  }
  if (quote !== null) throw ValidationError.field(field, `has an unterminated ${quote} quote`);
  if (word !== null) words.push(word);
  return words;
}

/**
 * Parses and checks an engine command template, e.g. `vllm serve {model} --port {port}`:
 * it must not be empty, every `{name}` must be a known placeholder, and `{port}` must appear
 * (the engine has to listen where the agent looks). Throws a ValidationError naming `field`.
 */
export function parseEngineCommand(
  source: string,
  field = 'GANTRY_ENGINE_COMMAND',
): EngineCommandTemplate {
  const words = splitWords(source, field);
  if (words.length === 0)
    throw ValidationError.field(
      field,
      'is empty: give a command, e.g. "vllm serve {model} --port {port}"',
    );
  const placeholders = new Set<EnginePlaceholder>();
  for (const word of words)
    for (const [braced, name] of word.matchAll(BRACED)) {
      if (!isPlaceholder(name!))
        throw ValidationError.field(
          field,
          `has an unknown placeholder ${braced} (known: ${ENGINE_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
        );
      placeholders.add(name);
    }
  if (!placeholders.has('port'))
    throw ValidationError.field(
      field,
      'must contain {port}: the engine has to listen on the port the agent picks',
    );
  return { source, words, placeholders };
}

/**
 * The argv of one engine: each placeholder replaced by its value (a value is never split into
 * words, whatever it holds). Throws if the template uses a placeholder `values` lacks.
 */
export function renderEngineCommand(
  template: EngineCommandTemplate,
  values: Readonly<Partial<Record<EnginePlaceholder, string>>>,
): string[] {
  for (const name of template.placeholders)
    if (values[name] === undefined)
      throw new Error(`engine command "${template.source}": no value for {${name}}`);
  return template.words.map((word) =>
    word.replace(BRACED, (_, name: string) => values[name as EnginePlaceholder]!),
  );
}
