import { resolve } from 'node:path';
import { toDuration } from '@gantry/grpc';
import { parseDuration } from '../spec/duration';
import {
  camelCase,
  type EnumShape,
  type MessageShape,
  type ScalarType,
  type Shape,
} from './shapes';
import { type SpecProblem } from './spec-file-error';
import { childPath, itemPath, nearestLine, type SpecSource } from './spec-source';
import { unknownFieldMessage } from './suggest';

/** A local file a spec names (`input_file:`); the CLI uploads it and assigns the id. */
export interface LocalFileRef {
  /** The field's path in the file (`inference_batch.input_file`). */
  readonly path: string;
  /** As written in the file. */
  readonly given: string;
  /** Resolved against the spec file's folder. */
  readonly localPath: string;
  /** Puts the uploaded file's id into the decoded spec (`input_file_id`). */
  assign(fileId: string): void;
}

/** What decoding a file found: the ts-proto value (when there were no problems) and its files. */
export interface Decoded {
  readonly value: unknown;
  readonly problems: SpecProblem[];
  readonly localFiles: LocalFileRef[];
}

const INT_RANGE: Partial<Record<ScalarType, readonly [number, number]>> = {
  int32: [-2_147_483_648, 2_147_483_647],
  uint32: [0, 4_294_967_295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const QUOTE_HINT = 'must be a string; put the value in quotes';

/**
 * Decodes a parsed spec file against a message shape into the ts-proto representation (camelCase
 * properties, oneofs as `{ $case, ... }`). Every problem names its field path and line; unknown
 * fields are problems (protobuf's own JSON parsing would drop misspelled input silently).
 */
export function decodeSpec(source: SpecSource, shape: MessageShape): Decoded {
  const problems: SpecProblem[] = [];
  const localFiles: LocalFileRef[] = [];
  const fail = (path: string, message: string, linePath = path): undefined => {
    problems.push({ path, message, line: nearestLine(source, linePath) });
    return undefined;
  };

  function decode(value: unknown, shape: Shape, path: string): unknown {
    switch (shape.kind) {
      case 'scalar':
        return scalar(value, shape.type, path);
      case 'enum':
        return enumValue(value, shape, path);
      case 'list':
        if (!Array.isArray(value)) return fail(path, 'must be a list');
        return value.map((item, i) => decode(item, shape.of, itemPath(path, i)));
      case 'refused':
        return fail(path, shape.message);
      case 'local-file':
        // messageValue handles these; a shape that puts one elsewhere is a bug.
        throw new Error(`${path}: a local-file shape must be a message's field`);
      case 'message':
        return messageValue(value, shape, path);
    }
  }

  function scalar(value: unknown, type: ScalarType, path: string): unknown {
    switch (type) {
      case 'string':
        if (typeof value === 'string') return value;
        return fail(path, typeof value === 'object' ? 'must be a string' : QUOTE_HINT);
      case 'bool':
        return typeof value === 'boolean' ? value : fail(path, 'must be true or false');
      case 'double':
        return typeof value === 'number' && Number.isFinite(value)
          ? value
          : fail(path, 'must be a number');
      case 'duration':
        return durationValue(value, path);
      case 'string-map':
        return stringMap(value, path);
      default: {
        const [min, max] = INT_RANGE[type]!;
        if (typeof value !== 'number' || !Number.isInteger(value))
          return fail(path, 'must be a whole number');
        if (value < min || value > max)
          return fail(path, `must be a whole number from ${min} to ${max}`);
        return value;
      }
    }
  }

  function durationValue(value: unknown, path: string): unknown {
    const bad = `must be a duration like 24h, 90m, 30s or 1h30m, or a number of seconds`;
    if (typeof value === 'number')
      return Number.isFinite(value) && value >= 0 ? toDuration(value) : fail(path, bad);
    if (typeof value !== 'string') return fail(path, bad);
    try {
      return toDuration(parseDuration(value));
    } catch {
      return fail(path, `${bad} (got '${value}')`);
    }
  }

  function stringMap(value: unknown, path: string): unknown {
    if (!isRecord(value)) return fail(path, 'must be a mapping of names to strings');
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string') out[key] = item;
      else
        fail(
          childPath(path, key),
          item !== null && typeof item === 'object' ? 'must be a string' : QUOTE_HINT,
        );
    }
    return out;
  }

  function enumValue(value: unknown, shape: EnumShape, path: string): unknown {
    const number = typeof value === 'string' ? shape.values[value] : undefined;
    if (number !== undefined) return number;
    const got = typeof value === 'string' ? ` (got '${value}')` : '';
    return fail(path, `must be ${shape.accepted}${got}`);
  }

  function messageValue(value: unknown, shape: MessageShape, path: string): unknown {
    if (!isRecord(value)) return fail(path, 'must be a mapping of fields');
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const at = childPath(path, key);
      const field = shape.fields[key];
      if (!field) {
        if (!shape.oneofs.some((o) => key in o.members))
          fail(path, unknownFieldMessage(key, shape), at);
        continue;
      }
      if (item === null) continue;
      if (field.kind === 'local-file') {
        if (typeof item !== 'string' || item.trim() === '')
          fail(at, 'must name a local file (a path relative to the spec file)');
        else
          localFiles.push({
            path: at,
            given: item,
            localPath: resolve(source.folder, item),
            assign: (id) => {
              out[camelCase(field.target)] = id;
            },
          });
        continue;
      }
      const decoded = decode(item, field, at);
      if (decoded !== undefined) out[camelCase(key)] = decoded;
    }
    for (const [first, second] of shape.exclusive)
      if (value[first] != null && value[second] != null)
        fail(path, `set only one of ${first}, ${second}`, childPath(path, second));
    for (const oneof of shape.oneofs) {
      const chosen = Object.keys(value).filter((key) => key in oneof.members);
      const allowed = Object.entries(oneof.members).filter(([, s]) => s.kind !== 'refused');
      const names = allowed.map(([name]) => name);
      if (chosen.length === 0 && oneof.required)
        fail(path, `needs a ${oneof.what}: one of ${names.join(', ')}`);
      if (chosen.length > 1)
        fail(
          path,
          `set only one ${oneof.what}, not ${chosen.join(' and ')}`,
          childPath(path, chosen[1]!),
        );
      if (chosen.length !== 1) continue;
      const key = chosen[0]!;
      const decoded = decode(value[key] ?? {}, oneof.members[key]!, childPath(path, key));
      if (decoded !== undefined)
        out[oneof.name] = { $case: camelCase(key), [camelCase(key)]: decoded };
    }
    return out;
  }

  const value = messageValue(source.value, shape, '');
  return { value, problems, localFiles };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
