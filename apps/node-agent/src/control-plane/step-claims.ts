import { InternalError, UnavailableError } from '@gantry/domain';
import {
  ClaimingStepCache,
  CollapsingStepCache,
  type StepCache,
  type StepClaimAnswer,
  type StepClaims,
} from '@gantry/workloads';
import type { Logger } from '@gantry/observability';
import { durationMs } from '../protocol/mapping';
import type { AgentGateway } from './gateway';
import { isSessionLost, type Credentials } from './session';
import { sleep } from './sleeper';

/** The session as the step cache needs it; defined here, where it is used. */
export interface ClaimSession {
  current(): Credentials | null;
  invalidate(token: string, why: string): void;
}

/**
 * The session, bound once it exists: the session reports the tasks, the tasks' backend needs
 * the step cache, and the step cache needs the session's credentials. Unbound, it has none.
 */
export class SessionSlot implements ClaimSession {
  private session: ClaimSession | undefined;

  bind(session: ClaimSession): void {
    this.session = session;
  }

  current(): Credentials | null {
    return this.session?.current() ?? null;
  }

  invalidate(token: string, why: string): void {
    this.session?.invalidate(token, why);
  }
}

/**
 * The cluster's step cache as an agent reaches it (ADR 9): ClaimStep, CompleteStep and
 * AbandonStep on the control plane, with this node's credentials. Before Register there are
 * none: UnavailableError (the cache is an optimisation; the call is computed without it). A
 * call answered UNAUTHENTICATED or NOT_FOUND hands over to the session, which registers again.
 */
export class GatewayStepClaims implements StepClaims {
  constructor(
    private readonly gateway: Pick<AgentGateway, 'claimStep' | 'completeStep' | 'abandonStep'>,
    private readonly session: ClaimSession,
  ) {}

  async claim(hash: string): Promise<StepClaimAnswer> {
    const answer = await this.call((c) =>
      this.gateway.claimStep({ nodeId: c.nodeId, hash }, c.token),
    );
    const outcome = answer.outcome;
    switch (outcome?.$case) {
      case 'valueJson':
        return { kind: 'value', json: outcome.valueJson };
      case 'claim':
        return { kind: 'claim', token: outcome.claim.token };
      case 'retryAfter':
        return { kind: 'wait', retryAfterMs: durationMs(outcome.retryAfter) ?? 0 };
      default:
        throw new InternalError('ClaimStep answered without an outcome');
    }
  }

  complete(hash: string, token: string, json: string): Promise<void> {
    return this.call((c) =>
      this.gateway.completeStep({ nodeId: c.nodeId, hash, token, valueJson: json }, c.token),
    );
  }

  abandon(hash: string, token: string): Promise<void> {
    return this.call((c) => this.gateway.abandonStep({ nodeId: c.nodeId, hash, token }, c.token));
  }

  private async call<T>(rpc: (credentials: Credentials) => Promise<T>): Promise<T> {
    const credentials = this.session.current();
    if (!credentials)
      throw new UnavailableError('the agent is not registered with the control plane yet');
    try {
      return await rpc(credentials);
    } catch (error) {
      if (isSessionLost(error))
        this.session.invalidate(credentials.token, `step cache: ${(error as Error).message}`);
      throw error;
    }
  }
}

/**
 * The step cache the agent's reasoning jobs share: identical calls in flight on this agent
 * collapse into one (CollapsingStepCache) before one claim goes to the cluster's cache
 * (ClaimingStepCache over GatewayStepClaims). When the cache cannot be reached, calls are
 * computed anyway and a warning logged.
 */
export function agentStepCache(claims: StepClaims, log: Logger): StepCache {
  return new CollapsingStepCache(
    new ClaimingStepCache({
      claims,
      sleep: (ms) => sleep(ms),
      onCacheError: (error, hash) =>
        log.warn({ err: error, hash }, 'step cache unavailable; computing the call without it'),
    }),
  );
}
