import { loadFileDescriptorSetFromBuffer } from '@grpc/proto-loader';
import { GANTRY_FILE_DESCRIPTOR_SET_BASE64 } from '@gantry/proto';
import { jobSpecShape } from './job-spec-shapes';
import { type MessageShape, type Shape } from './shapes';

interface FieldDescriptor {
  readonly name: string;
  readonly type: string;
  readonly label: string;
  readonly typeName: string;
}

const definitions = loadFileDescriptorSetFromBuffer(
  Buffer.from(GANTRY_FILE_DESCRIPTOR_SET_BASE64, 'base64'),
) as unknown as Record<string, { type: { field: FieldDescriptor[] } }>;

function fieldsOf(typeName: string): FieldDescriptor[] {
  const name = typeName.includes('.') ? typeName : `gantry.v1.${typeName}`;
  return definitions[name]!.type.field;
}

/** The descriptor's spelling of a shape: `TYPE_STRING`, `repeated TYPE_MESSAGE Dependency`, ... */
function expectedType(shape: Shape): string | undefined {
  switch (shape.kind) {
    case 'scalar':
      if (shape.type === 'duration') return 'TYPE_MESSAGE google.protobuf.Duration';
      if (shape.type === 'string-map') return 'repeated TYPE_MESSAGE';
      return `TYPE_${shape.type.toUpperCase()}`;
    case 'enum':
      return 'TYPE_ENUM';
    case 'list':
      return `repeated ${expectedType(shape.of)}`;
    case 'message':
      return 'TYPE_MESSAGE';
    default:
      return undefined;
  }
}

function describeField(field: FieldDescriptor, shape: Shape): string | undefined {
  if (shape.kind === 'refused' || shape.kind === 'local-file') return undefined;
  const repeated = field.label === 'LABEL_REPEATED' ? 'repeated ' : '';
  if (shape.kind === 'scalar' && shape.type === 'duration')
    return `${field.type} ${field.typeName}`;
  return `${repeated}${field.type}`;
}

/** Every (path, problem) where a shape and the proto message disagree, recursively. */
function compare(shape: MessageShape, typeName: string, path: string): string[] {
  const problems: string[] = [];
  const members = Object.assign({}, ...shape.oneofs.map((o) => o.members)) as Record<string, Shape>;
  const all: Record<string, Shape> = { ...shape.fields, ...members };
  const conveniences = Object.entries(all).filter(([, s]) => s.kind === 'local-file');
  const descriptors = fieldsOf(typeName);
  for (const field of descriptors) {
    const fieldShape = all[field.name];
    const at = `${path}${field.name}`;
    if (!fieldShape) {
      problems.push(`${at}: in the proto, not in the spec-file shape`);
      continue;
    }
    const expected = expectedType(fieldShape);
    const actual = describeField(field, fieldShape);
    if (expected !== undefined && !expected.startsWith(actual ?? ''))
      problems.push(`${at}: the shape says ${expected}, the proto ${actual}`);
    const inner = fieldShape.kind === 'list' ? fieldShape.of : fieldShape;
    if (inner.kind === 'message') problems.push(...compare(inner, field.typeName, `${at}.`));
  }
  for (const [name] of Object.entries(all))
    if (!descriptors.some((f) => f.name === name) && !conveniences.some(([c]) => c === name))
      problems.push(`${path}${name}: in the spec-file shape, not in the proto`);
  for (const [name, s] of conveniences)
    if (s.kind === 'local-file' && !descriptors.some((f) => f.name === s.target))
      problems.push(`${path}${name}: fills ${s.target}, which the proto does not have`);
  return problems;
}

describe('the spec-file shapes', () => {
  it('match gantry.v1.JobSpec field for field, types included (a new proto field fails here)', () => {
    expect(compare(jobSpecShape, 'JobSpec', '')).toEqual([]);
  });
});
