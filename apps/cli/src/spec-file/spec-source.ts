import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { SpecFileError } from './spec-file-error';

/** A parsed spec file: its content as plain data, and the line each field path is on. */
export interface SpecSource {
  /** How messages name the file: the path as given on the command line, or `<stdin>`. */
  readonly name: string;
  /** The folder that relative local files (`input_file: ./requests.jsonl`) are resolved in. */
  readonly folder: string;
  readonly value: unknown;
  /** The 1-based line of a field path (`inference_reasoning.steps[1].refine`), if present. */
  lineOf(path: string): number | undefined;
}

/** `a.b` under `a`, or `b` at the top. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `a[1]`. */
export function itemPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The nearest line of a path or of one of its parents (`a.b[2].c`, `a.b[2]`, `a.b`, `a`). */
export function nearestLine(source: SpecSource, path: string): number | undefined {
  for (let at: string | undefined = path; at !== undefined; at = parentPath(at)) {
    const line = source.lineOf(at);
    if (line !== undefined) return line;
  }
  return undefined;
}

function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

/**
 * Parses a spec file. YAML 1.2 is a superset of JSON, so one parser reads both and gives line
 * numbers for both; keys must be unique and the file must hold one document.
 */
export function parseSpecSource(text: string, name: string, folder: string): SpecSource {
  const counter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const lineAt = (offset: number) => counter.linePos(offset).line;
  const [error] = document.errors;
  if (error)
    throw new SpecFileError(name, [
      { path: '', line: lineAt(error.pos[0]), message: yamlMessage(error.message) },
    ]);
  const lines = new Map<string, number>();
  const record = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const at = childPath(path, key);
        const keyNode = pair.key as Node | null;
        const range = keyNode?.range ?? (pair.value as Node | null)?.range;
        if (range) lines.set(at, lineAt(range[0]));
        record(pair.value, at);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const at = itemPath(path, index);
        const range = (item as Node | null)?.range;
        if (range) lines.set(at, lineAt(range[0]));
        record(item, at);
      });
    }
  };
  const contents = document.contents as Node | null;
  if (contents?.range) lines.set('', lineAt(contents.range[0]));
  record(contents, '');
  return {
    name,
    folder,
    value: document.toJS({ maxAliasCount: 100 }),
    lineOf: (p) => lines.get(p),
  };
}

/** yaml's messages, lower-cased at the start and without the position it also appends. */
function yamlMessage(message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  if (/multiple documents/.test(first))
    return 'holds more than one YAML document; give one job per file';
  return first.charAt(0).toLowerCase() + first.slice(1);
}
