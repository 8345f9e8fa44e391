/**
 * Protobuf JSON (the proto3 JSON mapping) for the HTTP JSON bridge, from the same file
 * descriptors the gRPC servers hand to reflection: request JSON is checked strictly (an unknown
 * key or a value of the wrong type is INVALID_ARGUMENT naming the field by its path, e.g.
 * `lease.gpus`) and turned into protobuf binary; a response's binary is turned into JSON with
 * every field present (zero values included), int64 as strings, enums by name, Timestamps as
 * RFC 3339 and Durations as "3600s".
 */
import {
  createFileRegistry,
  fromBinary,
  fromJson,
  toBinary,
  toJson,
  type DescField,
  type DescMessage,
  type DescService,
  type FileRegistry,
  type JsonValue,
} from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { ValidationError } from '@gantry/domain';

export class ProtoJsonCodec {
  private readonly registry: FileRegistry;

  constructor(descriptorSetBase64: string) {
    this.registry = createFileRegistry(
      fromBinary(FileDescriptorSetSchema, Buffer.from(descriptorSetBase64, 'base64')),
    );
  }

  service(name: string): DescService | undefined {
    return this.registry.getService(name);
  }

  message(name: string): DescMessage | undefined {
    return this.registry.getMessage(name);
  }

  /** The request's JSON text (empty: the empty message) as protobuf binary. */
  decodeRequest(schema: DescMessage, text: string): Uint8Array {
    let json: unknown = {};
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw ValidationError.field('body', `is not valid JSON (${(error as Error).message})`);
      }
    }
    try {
      return toBinary(schema, fromJson(schema, json as JsonValue));
    } catch (error) {
      const found = locate(schema, json, '');
      throw ValidationError.field(
        found?.field ?? 'body',
        found?.message ?? (error as Error).message,
      );
    }
  }

  /** A response's protobuf binary as JSON. */
  encodeResponse(schema: DescMessage, bytes: Uint8Array): JsonValue {
    return toJson(schema, fromBinary(schema, bytes), { alwaysEmitImplicit: true });
  }
}

interface Found {
  readonly field: string;
  readonly message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Well-known types have their own JSON forms (strings, numbers): checked whole, as leaves. */
const isWellKnown = (message: DescMessage) => message.typeName.startsWith('google.protobuf.');

const join = (path: string, name: string) => (path === '' ? name : `${path}.${name}`);

/** The first field of `json` that does not decode as `schema`, by its path of proto names. */
function locate(schema: DescMessage, json: unknown, path: string): Found | undefined {
  if (!isObject(json)) return { field: path || 'body', message: 'must be a JSON object' };
  for (const [key, value] of Object.entries(json)) {
    const field = schema.fields.find((f) => f.jsonName === key || f.name === key);
    if (!field) return { field: join(path, key), message: `is not a field of ${schema.typeName}` };
    const at = join(path, field.name);
    const nested = value === null ? undefined : nestedMessage(field);
    if (nested) {
      const found = locateNested(field, nested, value, at);
      if (found) return found;
      continue;
    }
    try {
      fromJson(schema, { [key]: value } as JsonValue);
    } catch (error) {
      return { field: at, message: leafMessage(error) };
    }
  }
  return undefined;
}

/** The message type a field holds (alone, in a list, or as map values), unless well known. */
function nestedMessage(field: DescField): DescMessage | undefined {
  const message =
    field.fieldKind === 'message'
      ? field.message
      : field.fieldKind === 'list' && field.listKind === 'message'
        ? field.message
        : field.fieldKind === 'map' && field.mapKind === 'message'
          ? field.message
          : undefined;
  return message && !isWellKnown(message) ? message : undefined;
}

function locateNested(
  field: DescField,
  message: DescMessage,
  value: unknown,
  at: string,
): Found | undefined {
  if (field.fieldKind === 'list') {
    if (!Array.isArray(value)) return { field: at, message: 'must be a JSON array' };
    for (const [i, item] of value.entries()) {
      const found = locate(message, item, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (field.fieldKind === 'map') {
    if (!isObject(value)) return { field: at, message: 'must be a JSON object' };
    for (const [k, item] of Object.entries(value)) {
      const found = locate(message, item, `${at}[${JSON.stringify(k)}]`);
      if (found) return found;
    }
    return undefined;
  }
  return locate(message, value, at);
}

/** "cannot decode field gantry.v1.X.y from JSON: expected ..." -> "expected ...". */
function leafMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const field = /^cannot decode field \S+ from JSON: (.*)$/s.exec(text);
  if (field) return field[1]!;
  const other = /^cannot decode (enum|message) (\S+) from JSON: (.*)$/s.exec(text);
  return other ? `${other[3]} is not a valid ${other[2]}` : text;
}
