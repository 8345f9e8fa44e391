import type { InferenceReasoningWorkload } from '@gantry/domain';
import {
  answerKey,
  createVerifier,
  InProcessStepCache,
  plannedCalls,
  reasoningJobResult,
  runReasoning,
  type CandidateVerifier,
  type Sandbox,
  type StepCache,
} from '@gantry/workloads';
import type { EngineProgram, ProgramContext, ProgramEngine } from './engine-program';
import { ProgressThrottle } from './engine-program';

export interface ReasoningProgramDeps {
  /**
   * The agent's step cache, shared by its jobs (in the agent: identical calls in flight collapse,
   * then the cluster's cache through the control plane). A `cache: false` job uses a fresh
   * InProcessStepCache of its own instead.
   */
  readonly stepCache: StepCache;
  /** Runs code for a `unit-tests` verifier; absent where none is available. */
  readonly sandbox?: Sandbox;
}

/**
 * An `inference_reasoning` job (docs/job-kinds.md): runReasoning on the leased engine, with the
 * verifiers of the built-in registry and `answerKey` (the normalised final answer) for votes;
 * progress is engine calls finished of those planned. When the DAG ends it logs a summary (the
 * answer, calls made and saved) and emits the job's result event, the last before the exit,
 * whose message says how the run ended.
 */
export class ReasoningProgram implements EngineProgram {
  readonly label: string;
  readonly engine: ProgramEngine;
  private readonly verifiers = new Map<string, CandidateVerifier>();

  constructor(
    private readonly spec: InferenceReasoningWorkload,
    jobId: string,
    private readonly deps: ReasoningProgramDeps,
  ) {
    this.label = `reasoning ${jobId}`;
    this.engine = { model: spec.model, revision: spec.revision, preset: spec.engine ?? '' };
  }

  async run(ctx: ProgramContext): Promise<string> {
    const { spec } = this;
    const cache = spec.cache ? this.deps.stepCache : new InProcessStepCache();
    ctx.log(
      `${this.label}: ${spec.steps.length} step(s), up to ${plannedCalls(spec)} engine call(s), ` +
        `${spec.maxConcurrency} at a time; identical calls ${spec.cache ? 'shared through the step cache' : 'shared within this job only (cache: false)'}`,
    );
    const throttle = new ProgressThrottle((fraction, message) => ctx.progress(fraction, message));
    const result = await runReasoning(spec, {
      client: ctx.client,
      cache,
      verifierFor: (name) => this.verifier(name),
      extractAnswer: answerKey,
      signal: ctx.signal,
      onProgress: (done, total) => throttle.report(done, total, `${done}/${total} engine calls`),
    });
    const calls = result.callsMade + result.callsSavedCache + result.callsSavedInflight;
    ctx.log(
      `${this.label}: answer ${result.answer === null ? '(none)' : JSON.stringify(result.answer)}` +
        `${result.judged ? (result.accepted ? ' (accepted)' : ' (rejected)') : ''}; ` +
        `${calls} call(s): ${result.callsMade} made, ${result.callsSavedCache} from the cache, ` +
        `${result.callsSavedInflight} shared in flight; ${result.tokens} tokens; ${result.stopReason}`,
    );
    ctx.result(reasoningJobResult(result));
    return `${this.label}: ${result.message}`;
  }

  private verifier(name: string): CandidateVerifier {
    let verifier = this.verifiers.get(name);
    if (!verifier) {
      verifier = createVerifier(name, this.deps.sandbox ? { sandbox: this.deps.sandbox } : {});
      this.verifiers.set(name, verifier);
    }
    return verifier;
  }
}
