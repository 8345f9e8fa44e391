import { z } from 'zod';
import { ValidationError, type FieldViolation } from './errors';
import { findGpuModel, gpuModelIds } from './gpu-models';
import { int } from './workloads/fields';
import { inferenceBatchSchema, toInferenceBatch } from './workloads/inference-batch';
import { inferenceReasoningSchema, toInferenceReasoning } from './workloads/inference-reasoning';
import { checkReasoningDag } from './workloads/reasoning-dag';
import { rlSyntheticSchema, toRlSynthetic } from './workloads/rl-synthetic';
import { leaseIdField, leaseSchema, toLease, type LeaseWorkload } from './workloads/lease';
import { shardSchema, toShard } from './workloads/shard';
import { isEngineWorkload, USER_WORKLOAD_KINDS, WORKLOAD_KINDS } from './workloads/workload-kinds';
import type {
  InferenceBatchWorkload,
  InferenceReasoningWorkload,
  RlSyntheticWorkload,
  ShardWorkload,
} from './workloads';

/**
 * What a job runs: a real command, simulated GPU work (no GPU needed), or one of the inference
 * kinds of ADR 9 (`shard` is internal: the control plane creates it, users may not submit it).
 */
export type Workload =
  | CommandWorkload
  | SimulatedWorkload
  | InferenceBatchWorkload
  | InferenceReasoningWorkload
  | RlSyntheticWorkload
  | ShardWorkload
  | LeaseWorkload;

export interface CommandWorkload {
  readonly kind: 'command';
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir: string | null;
}

export interface SimulatedWorkload {
  readonly kind: 'simulated';
  /** Work in H100-seconds. */
  readonly gpuSeconds: number;
  readonly exitCode: number;
  readonly seed: number;
}

export interface ResourceRequest {
  /** GPUs on each node. */
  readonly gpus: number;
  /** Nodes, all started together or not at all (a gang); 1 for a single-node job. */
  readonly nodes: number;
  /** A catalog id, or null for any model. */
  readonly gpuModel: string | null;
}

export type DependencyCondition = 'after-ok' | 'after-any' | 'after-failed';

export interface JobDependency {
  readonly jobId: string;
  readonly condition: DependencyCondition;
}

/** A validated job spec with every default applied. */
export interface JobSpec {
  readonly name: string;
  readonly queue: string;
  readonly priority: number;
  /** Its priority class: importance and preemptibility (checked against the cluster's classes). */
  readonly priorityClass: string;
  readonly dependencies: readonly JobDependency[];
  readonly resources: ResourceRequest;
  readonly labels: Readonly<Record<string, string>>;
  readonly timeLimitSeconds: number | null;
  /** A renter's job: the lease it runs in (ADR 10). Absent for every other job. */
  readonly leaseId?: string;
  readonly workload: Workload;
}

export const SPEC_LIMITS = {
  maxGpus: 64,
  maxNodes: 256,
  maxPriority: 1000,
  defaultPriority: 100,
  defaultQueue: 'default',
  defaultPriorityClass: 'batch',
  maxDependencies: 64,
  maxNameLength: 128,
  maxArgs: 256,
  maxArgLength: 4096,
  maxEnv: 128,
  maxEnvValueLength: 32 * 1024,
  maxLabels: 32,
  maxTimeLimitSeconds: 30 * 24 * 3600,
  maxSimulatedGpuSeconds: 1e7,
  maxSpecBytes: 256 * 1024,
} as const;

/**
 * Names the agent sets itself; a job may not set them. GANTRY_ARRAY_* are the exception: the
 * control plane puts them in each element's spec when it expands a job array.
 */
const RESERVED_ENV = /^(CUDA_VISIBLE_DEVICES|NVIDIA_VISIBLE_DEVICES|GANTRY_(?!ARRAY_).*)$/;

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

const optionalText = z
  .string()
  .optional()
  .transform((s) => (s === '' ? undefined : s));

const envKey = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid variable name');

const commandSchema = z
  .object({
    argv: z
      .array(
        z
          .string()
          .max(SPEC_LIMITS.maxArgLength, `must be at most ${SPEC_LIMITS.maxArgLength} characters`),
        {
          error: 'is required',
        },
      )
      .min(1, 'must name a program')
      .max(SPEC_LIMITS.maxArgs, `must have at most ${SPEC_LIMITS.maxArgs} items`)
      .refine((argv) => (argv[0] ?? '').trim() !== '', 'argv[0] must name a program'),
    env: z
      .record(envKey, z.string().max(SPEC_LIMITS.maxEnvValueLength, 'is too long'))
      .optional()
      .superRefine((env, ctx) => {
        const keys = Object.keys(env ?? {});
        if (keys.length > SPEC_LIMITS.maxEnv)
          ctx.addIssue({
            code: 'custom',
            message: `must have at most ${SPEC_LIMITS.maxEnv} entries`,
          });
        for (const key of keys.filter((k) => RESERVED_ENV.test(k)))
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is set by the agent; a job may not set it',
          });
      }),
    working_dir: optionalText.refine(
      (d) => d === undefined || d.startsWith('/'),
      'must be an absolute path',
    ),
  })
  .strict();

const simulatedSchema = z
  .object({
    gpu_seconds: z
      .number({ error: 'is required' })
      .positive('must be greater than 0')
      .max(
        SPEC_LIMITS.maxSimulatedGpuSeconds,
        `must be at most ${SPEC_LIMITS.maxSimulatedGpuSeconds}`,
      ),
    exit_code: int(0, 255).optional(),
    seed: int(0, 0xffffffff).optional(),
  })
  .strict();

const specSchema = z
  .object({
    name: optionalText.refine(
      (n) => n === undefined || n.length <= SPEC_LIMITS.maxNameLength,
      `must be at most ${SPEC_LIMITS.maxNameLength} characters`,
    ),
    queue: optionalText.refine(
      (q) => q === undefined || NAME_PATTERN.test(q),
      'must be 1-63 lower-case letters, digits or "-", starting with a letter',
    ),
    priority: int(0, SPEC_LIMITS.maxPriority).optional(),
    resources: z
      .object({
        gpus: int(0, SPEC_LIMITS.maxGpus).optional(),
        nodes: int(1, SPEC_LIMITS.maxNodes).optional(),
        gpu_model: optionalText.refine(
          (m) => m === undefined || findGpuModel(m) !== undefined,
          `must be one of ${gpuModelIds().join(', ')}`,
        ),
      })
      .strict()
      .optional(),
    priority_class: optionalText.refine(
      (c) => c === undefined || NAME_PATTERN.test(c),
      'must be 1-63 lower-case letters, digits or "-", starting with a letter',
    ),
    dependencies: z
      .array(
        z
          .object({
            job_id: z
              .string({ error: 'is required' })
              .regex(/^job_[0-9a-hjkmnp-tv-z]{26}$/, 'must be a job id (job_...)'),
            condition: z
              .enum(['after-ok', 'after-any', 'after-failed'], {
                error: 'must be after-ok, after-any or after-failed',
              })
              .optional(),
          })
          .strict(),
      )
      .max(SPEC_LIMITS.maxDependencies, `must have at most ${SPEC_LIMITS.maxDependencies} entries`)
      .optional(),
    labels: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?$/, 'must be a valid label key'),
        z.string().max(256, 'must be at most 256 characters'),
      )
      .optional()
      .refine(
        (l) => Object.keys(l ?? {}).length <= SPEC_LIMITS.maxLabels,
        `must have at most ${SPEC_LIMITS.maxLabels} entries`,
      ),
    time_limit_seconds: z
      .number()
      .positive('must be greater than 0')
      .max(
        SPEC_LIMITS.maxTimeLimitSeconds,
        `must be at most ${SPEC_LIMITS.maxTimeLimitSeconds} (30 days)`,
      )
      .optional(),
    command: commandSchema.optional(),
    simulated: simulatedSchema.optional(),
    inference_batch: inferenceBatchSchema.optional(),
    inference_reasoning: inferenceReasoningSchema.optional(),
    rl_synthetic: rlSyntheticSchema.optional(),
    shard: shardSchema.optional(),
    lease: leaseSchema.optional(),
    lease_id: leaseIdField.optional(),
  })
  .strict();

/** A job spec as clients write it (the protobuf JSON field names), before validation. */
export type JobSpecInput = z.input<typeof specSchema>;

function violations(error: z.ZodError, prefix: string): FieldViolation[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
      .join('.')
      .replace(/\.\[/g, '['),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : issue.code === 'invalid_key'
          ? (issue.issues[0]?.message ?? issue.message)
          : issue.message,
  }));
}

/**
 * Validates a spec and applies the defaults. Throws ValidationError naming every bad field,
 * prefixed with `prefix` (`spec.resources.gpus`).
 */
export function parseJobSpec(input: unknown, prefix = 'spec'): JobSpec {
  if (input === undefined || input === null) throw ValidationError.field(prefix, 'is required');
  const size = JSON.stringify(input)?.length ?? 0;
  if (size > SPEC_LIMITS.maxSpecBytes)
    throw ValidationError.field(
      prefix,
      `is ${size} bytes; the limit is ${SPEC_LIMITS.maxSpecBytes}`,
    );
  const parsed = specSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(violations(parsed.error, prefix));
  const s = parsed.data;
  const problems: FieldViolation[] = [];
  const kinds = WORKLOAD_KINDS.filter((kind) => s[kind] !== undefined);
  if (kinds.length > 1)
    problems.push({ field: `${prefix}.workload`, message: `set only one of ${kinds.join(', ')}` });
  if (kinds.length === 0)
    problems.push({
      field: `${prefix}.workload`,
      message: `one of ${USER_WORKLOAD_KINDS.join(', ')} is required`,
    });
  const gpus = s.resources?.gpus ?? 0;
  const nodes = s.resources?.nodes ?? 1;
  const gpuModel = s.resources?.gpu_model ? findGpuModel(s.resources.gpu_model)!.id : null;
  if (gpuModel && gpus === 0)
    problems.push({
      field: `${prefix}.resources.gpu_model`,
      message: 'needs resources.gpus of at least 1',
    });
  if (nodes > 1 && gpus === 0)
    problems.push({
      field: `${prefix}.resources.nodes`,
      message: `is ${nodes}; a multi-node job needs resources.gpus of at least 1 on each node`,
    });
  const dependencies = (s.dependencies ?? []).map((d) => ({
    jobId: d.job_id,
    condition: d.condition ?? ('after-ok' as const),
  }));
  dependencies.forEach((d, i) => {
    if (dependencies.findIndex((e) => e.jobId === d.jobId) !== i)
      problems.push({
        field: `${prefix}.dependencies[${i}].job_id`,
        message: `names ${d.jobId} twice`,
      });
  });
  const workload = kinds.length === 1 ? toWorkload(s) : null;
  if (workload) problems.push(...workloadProblems(workload, { gpus, nodes }, prefix));
  if (problems.length > 0 || !workload) throw new ValidationError(problems);
  return {
    name: s.name ?? defaultName(workload),
    queue: s.queue ?? SPEC_LIMITS.defaultQueue,
    priority: s.priority ?? SPEC_LIMITS.defaultPriority,
    priorityClass: s.priority_class ?? SPEC_LIMITS.defaultPriorityClass,
    dependencies,
    resources: { gpus, gpuModel, nodes },
    labels: s.labels ?? {},
    timeLimitSeconds: s.time_limit_seconds ?? null,
    ...(s.lease_id ? { leaseId: s.lease_id } : {}),
    workload,
  };
}

/** What the spec's shape allows but a workload rules out: a bad DAG, an engine without a GPU. */
function workloadProblems(
  workload: Workload,
  resources: { gpus: number; nodes: number },
  prefix: string,
): FieldViolation[] {
  const problems: FieldViolation[] = [];
  if (workload.kind === 'inference_reasoning')
    problems.push(...checkReasoningDag(workload, `${prefix}.inference_reasoning`));
  if (!isEngineWorkload(workload)) return problems;
  if (resources.gpus === 0)
    problems.push({
      field: `${prefix}.resources.gpus`,
      message: `is 0; ${workload.kind} needs at least 1 GPU for its inference engine`,
    });
  else if (resources.nodes > 1)
    problems.push({
      field: `${prefix}.resources.nodes`,
      message: `is ${resources.nodes}; ${workload.kind} runs its engine on one node`,
    });
  return problems;
}

/** The parsed workload (the schema and the checks above guarantee exactly one is set). */
function toWorkload(s: z.output<typeof specSchema>): Workload {
  if (s.command)
    return {
      kind: 'command',
      argv: s.command.argv,
      env: s.command.env ?? {},
      workingDir: s.command.working_dir ?? null,
    };
  if (s.simulated)
    return {
      kind: 'simulated',
      gpuSeconds: s.simulated.gpu_seconds,
      exitCode: s.simulated.exit_code ?? 0,
      seed: s.simulated.seed ?? 0,
    };
  if (s.inference_batch) return toInferenceBatch(s.inference_batch);
  if (s.inference_reasoning) return toInferenceReasoning(s.inference_reasoning);
  if (s.rl_synthetic) return toRlSynthetic(s.rl_synthetic);
  if (s.lease) return toLease(s.lease);
  return toShard(s.shard!);
}

function defaultName(workload: Workload): string {
  if (workload.kind === 'simulated') return 'simulated';
  if (workload.kind === 'shard') return `shard-${workload.index}`;
  if (workload.kind !== 'command') return workload.kind.replace(/_/g, '-');
  const program = workload.argv[0]!.trim().split('/').pop() || 'command';
  return program.slice(0, SPEC_LIMITS.maxNameLength);
}
