/** Job arrays: one submit, one job per index, each told its index in its environment. */
import { ValidationError } from './errors';
import type { JobSpec } from './job-spec';

export const MAX_ARRAY_ELEMENTS = 10_000;

/** The indices of an array, both ends included; ValidationError (field `array`) when invalid. */
export function arrayIndices(first: number, last: number): number[] {
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last < first) {
    throw ValidationError.field(
      'array',
      `must be first-last with 0 <= first <= last (got ${first}-${last})`,
    );
  }
  if (last - first + 1 > MAX_ARRAY_ELEMENTS) {
    throw ValidationError.field(
      'array',
      `has ${last - first + 1} elements; at most ${MAX_ARRAY_ELEMENTS} are allowed`,
    );
  }
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The spec of one element: its name says its index, and a command gets GANTRY_ARRAY_* set. */
export function arrayElementSpec(spec: JobSpec, arrayId: string, index: number): JobSpec {
  const workload =
    spec.workload.kind === 'command'
      ? {
          ...spec.workload,
          env: {
            ...spec.workload.env,
            GANTRY_ARRAY_ID: arrayId,
            GANTRY_ARRAY_INDEX: String(index),
          },
        }
      : spec.workload;
  return { ...spec, name: `${spec.name}[${index}]`.slice(-128), workload };
}
