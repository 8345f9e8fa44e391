// The ports the job kinds' logic runs over (ADR 9). They are implemented elsewhere: the HTTP
// client and the sandbox in libs/workers, the step cache in libs/queue (Redis) and in the agent
// (through the control plane). Keep them small: every implementation honours the whole contract.

/** The two OpenAI endpoints the job kinds call. */
export type InferenceEndpoint = '/v1/chat/completions' | '/v1/completions';

export const INFERENCE_ENDPOINTS: readonly InferenceEndpoint[] = [
  '/v1/chat/completions',
  '/v1/completions',
];

/** One HTTP call to an OpenAI-compatible engine: a POST of `body` as JSON to `endpoint`. */
export interface InferenceCall {
  readonly endpoint: InferenceEndpoint;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the engine answered: any HTTP status (an error status is an answer, not a throw). */
export interface InferenceAnswer {
  readonly status: number;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
  /** The engine's request id (`x-request-id` header), '' when it sent none. */
  readonly requestId: string;
}

/**
 * Sends calls to the task's engine. Resolves with the engine's answer whatever its status;
 * rejects only when the engine could not be reached or did not answer (connection refused or
 * reset, a timeout, `signal` aborted): the caller decides whether that ends the attempt.
 */
export interface InferenceClient {
  call(call: InferenceCall, signal?: AbortSignal): Promise<InferenceAnswer>;
}

/** Where a cached step value came from. */
export type StepSource = 'computed' | 'cache' | 'inflight';

/**
 * Deduplicates identical engine calls, by content hash (see ADR 9). `getOrCompute` returns the
 * stored value for `hash`, or waits for an identical computation already in flight, or runs
 * `compute` and stores its value. Values are JSON (they cross processes). If `compute` rejects,
 * nothing is stored, the rejection reaches this caller, and waiters compute for themselves.
 */
export interface StepCache {
  getOrCompute<T>(
    hash: string,
    compute: () => Promise<T>,
  ): Promise<{ readonly value: T; readonly source: StepSource }>;
}

/** A program to run in the sandbox: files written into a fresh directory, then `argv` in it. */
export interface SandboxRequest {
  /** File name (no directories) -> content, written into the throwaway working directory. */
  readonly files: Readonly<Record<string, string>>;
  /** The program and its arguments, run in that directory (argv[0] looked up on PATH). */
  readonly argv: readonly string[];
  readonly timeLimitMs: number;
  /** The address-space limit of the program. */
  readonly memoryLimitBytes: number;
  readonly stdin?: string;
}

/** How a sandboxed program ended. Output is truncated to a bounded size. */
export interface SandboxResult {
  /** The exit code; null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the sandbox killed it at its time limit. */
  readonly timedOut: boolean;
  readonly durationMs: number;
}

/**
 * Runs untrusted code: a throwaway directory (removed afterwards), a time limit, a memory
 * limit, no network, and every process it starts killed at the end.
 */
export interface Sandbox {
  run(request: SandboxRequest): Promise<SandboxResult>;
}
