/**
 * The shapes a spec file's fields may have, described once per message (job-spec-shapes.ts,
 * workload-shapes.ts) and decoded by decode.ts into the generated ts-proto types. Keys are the
 * protobuf JSON names in snake_case; the ts-proto property is their lowerCamelCase.
 */

/** A scalar: how the file writes it and which protobuf type it becomes. */
export type ScalarType =
  | 'string'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'double'
  | 'bool'
  /** `24h`, `90m`, `1h30m` or a number of seconds: a google.protobuf.Duration. */
  | 'duration'
  /** A map<string, string> (labels, env). */
  | 'string-map';

export interface ScalarShape {
  readonly kind: 'scalar';
  readonly type: ScalarType;
}

export interface ListShape {
  readonly kind: 'list';
  readonly of: Shape;
}

/** A protobuf enum written by a friendly name (`after-ok`) or its own (`DEPENDENCY_...`). */
export interface EnumShape {
  readonly kind: 'enum';
  readonly values: Readonly<Record<string, number>>;
  /** How the message lists the accepted names: `after-ok, after-any or after-failed`. */
  readonly accepted: string;
}

/** A local file the CLI uploads first; the field becomes `target` with the file's id. */
export interface LocalFileShape {
  readonly kind: 'local-file';
  /** The snake_case field that receives the id (`input_file_id`). */
  readonly target: string;
}

/** A field a spec file may not set, with why. */
export interface RefusedShape {
  readonly kind: 'refused';
  readonly message: string;
}

/** One oneof: at most one member (exactly one when required), a ts-proto `$case` union. */
export interface OneofShape {
  /** The ts-proto property (`workload`, `kind`). */
  readonly name: string;
  /** What one member is called in messages: `workload`, `kind`. */
  readonly what: string;
  readonly required: boolean;
  readonly members: Readonly<Record<string, Shape>>;
}

export interface MessageShape {
  readonly kind: 'message';
  readonly fields: Readonly<Record<string, Shape>>;
  readonly oneofs: readonly OneofShape[];
  /** Pairs of fields of which a file may set only one (`input_file`, `input_file_id`). */
  readonly exclusive: readonly (readonly [string, string])[];
}

export type Shape =
  ScalarShape | ListShape | EnumShape | LocalFileShape | RefusedShape | MessageShape;

export const string: ScalarShape = { kind: 'scalar', type: 'string' };
export const int32: ScalarShape = { kind: 'scalar', type: 'int32' };
export const uint32: ScalarShape = { kind: 'scalar', type: 'uint32' };
export const int64: ScalarShape = { kind: 'scalar', type: 'int64' };
export const double: ScalarShape = { kind: 'scalar', type: 'double' };
export const bool: ScalarShape = { kind: 'scalar', type: 'bool' };
export const duration: ScalarShape = { kind: 'scalar', type: 'duration' };
export const stringMap: ScalarShape = { kind: 'scalar', type: 'string-map' };

export function list(of: Shape): ListShape {
  return { kind: 'list', of };
}

export function message(
  fields: Record<string, Shape>,
  more: { oneofs?: OneofShape[]; exclusive?: [string, string][] } = {},
): MessageShape {
  return { kind: 'message', fields, oneofs: more.oneofs ?? [], exclusive: more.exclusive ?? [] };
}

export function localFile(target: string): LocalFileShape {
  return { kind: 'local-file', target };
}

/** `max_tokens` -> `maxTokens`: the ts-proto property of a protobuf field. */
export function camelCase(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
