import { z } from 'zod';

/**
 * One environment variable: its schema, default, unit and meaning. The docs' configuration
 * reference is generated from these definitions, so it cannot drift from the code.
 */
export interface Variable<T> {
  readonly name: string;
  readonly doc: string;
  /** Shown in the reference; `undefined` means required (or optional when `optional`). */
  readonly defaultText?: string;
  readonly unit?: string;
  readonly optional?: boolean;
  /** Parses the raw text (undefined when unset) into the value, or throws a message. */
  parse(raw: string | undefined): T;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function describe(raw: string): string {
  return raw.length > 40 ? `'${raw.slice(0, 40)}...'` : `'${raw}'`;
}

function from<T>(
  name: string,
  doc: string,
  schema: z.ZodType<T>,
  options: { default?: T; defaultText?: string; unit?: string; expected: string },
): Variable<T> {
  return {
    name,
    doc,
    unit: options.unit,
    defaultText:
      options.defaultText ?? (options.default === undefined ? undefined : String(options.default)),
    parse(raw) {
      if (raw === undefined || raw.trim() === '') {
        if (options.default !== undefined) return options.default;
        throw new Error(`${name}: is required (${options.expected})`);
      }
      const result = schema.safeParse(raw.trim());
      if (!result.success)
        throw new Error(`${name}: must be ${options.expected} (got ${describe(raw)})`);
      return result.data;
    },
  };
}

export const v = {
  string(
    name: string,
    doc: string,
    options: { default?: string; defaultText?: string; pattern?: RegExp; expected?: string } = {},
  ) {
    const schema = options.pattern ? z.string().regex(options.pattern) : z.string();
    return from(name, doc, schema, { ...options, expected: options.expected ?? 'a string' });
  },
  optionalString(
    name: string,
    doc: string,
    options: { pattern?: RegExp; expected?: string } = {},
  ): Variable<string | undefined> {
    const inner = v.string(name, doc, options);
    return {
      ...inner,
      optional: true,
      parse: (raw) => (raw === undefined || raw.trim() === '' ? undefined : inner.parse(raw)),
    };
  },
  number(
    name: string,
    doc: string,
    options: { default?: number; min?: number; max?: number; integer?: boolean; unit?: string },
  ) {
    let schema = z.coerce.number().refine(Number.isFinite);
    if (options.integer) schema = schema.refine(Number.isInteger);
    if (options.min !== undefined) schema = schema.refine((n) => n >= options.min!);
    if (options.max !== undefined) schema = schema.refine((n) => n <= options.max!);
    const bounds = [
      options.min !== undefined ? `at least ${options.min}` : '',
      options.max !== undefined ? `at most ${options.max}` : '',
    ].filter(Boolean);
    const expected = `${options.integer ? 'a whole number' : 'a number'}${bounds.length ? ` ${bounds.join(' and ')}` : ''}`;
    return from(name, doc, schema as z.ZodType<number>, { ...options, expected });
  },
  port(name: string, doc: string, defaultPort: number) {
    return v.number(name, doc, { default: defaultPort, min: 0, max: 65535, integer: true });
  },
  boolean(name: string, doc: string, defaultValue: boolean) {
    const schema = z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .transform((s) => ['true', '1', 'yes'].includes(s));
    return from(name, doc, schema, { default: defaultValue, expected: 'true or false' });
  },
  oneOf<T extends string>(
    name: string,
    doc: string,
    values: readonly [T, ...T[]],
    defaultValue: T,
  ) {
    return from(name, doc, z.enum(values), {
      default: defaultValue,
      expected: `one of ${values.join(', ')}`,
    });
  },
};

export type Spec = Record<string, Variable<unknown>>;
export type Values<S extends Spec> = { [K in keyof S]: S[K] extends Variable<infer T> ? T : never };

export type Env = Readonly<Record<string, string | undefined>>;

/** Parses every variable of a spec; collects all problems into one ConfigError. */
export function load<S extends Spec>(spec: S, env: Env): Values<S> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, variable] of Object.entries(spec)) {
    try {
      values[key] = variable.parse(env[variable.name]);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Values<S>;
}
