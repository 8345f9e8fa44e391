import { UnauthenticatedError, UnavailableError } from '@gantry/domain';
import { silentLogger } from '@gantry/observability';
import type {
  AbandonStepRequest,
  ClaimStepRequest,
  ClaimStepResponse,
  CompleteStepRequest,
} from '@gantry/proto';
import type { AgentGateway } from './gateway';
import type { Credentials } from './session';
import { agentStepCache, GatewayStepClaims, SessionSlot, type ClaimSession } from './step-claims';

type StepGateway = Pick<AgentGateway, 'claimStep' | 'completeStep' | 'abandonStep'>;

/** A control plane's step cache that answers as each test scripts it, and records every call. */
class ScriptedStepGateway implements StepGateway {
  readonly claims: { request: ClaimStepRequest; token: string }[] = [];
  readonly completes: CompleteStepRequest[] = [];
  readonly abandons: AbandonStepRequest[] = [];
  answers: (ClaimStepResponse | Error)[] = [];

  async claimStep(request: ClaimStepRequest, token: string): Promise<ClaimStepResponse> {
    this.claims.push({ request, token });
    const answer = this.answers.shift() ?? {
      outcome: { $case: 'claim', claim: { token: `claim-${this.claims.length}` } },
    };
    if (answer instanceof Error) throw answer;
    return answer;
  }

  async completeStep(request: CompleteStepRequest): Promise<void> {
    this.completes.push(request);
  }

  async abandonStep(request: AbandonStepRequest): Promise<void> {
    this.abandons.push(request);
  }
}

class RecordingSession implements ClaimSession {
  credentials: Credentials | null = { nodeId: 'node-1', token: 'tok-1' };
  readonly invalidated: { token: string; why: string }[] = [];

  current(): Credentials | null {
    return this.credentials;
  }

  invalidate(token: string, why: string): void {
    this.invalidated.push({ token, why });
  }
}

describe('GatewayStepClaims', () => {
  it('claims with the node credentials and reads the three outcomes', async () => {
    const gateway = new ScriptedStepGateway();
    gateway.answers = [
      { outcome: { $case: 'valueJson', valueJson: '{"text":"hi"}' } },
      { outcome: { $case: 'claim', claim: { token: 'c1' } } },
      { outcome: { $case: 'retryAfter', retryAfter: { seconds: 0, nanos: 250e6 } } },
    ];
    const claims = new GatewayStepClaims(gateway, new RecordingSession());
    expect(await claims.claim('h')).toEqual({ kind: 'value', json: '{"text":"hi"}' });
    expect(await claims.claim('h')).toEqual({ kind: 'claim', token: 'c1' });
    expect(await claims.claim('h')).toEqual({ kind: 'wait', retryAfterMs: 250 });
    expect(gateway.claims[0]).toEqual({ request: { nodeId: 'node-1', hash: 'h' }, token: 'tok-1' });
    await claims.complete('h', 'c1', '{"text":"x"}');
    await claims.abandon('h', 'c2');
    expect(gateway.completes).toEqual([
      { nodeId: 'node-1', hash: 'h', token: 'c1', valueJson: '{"text":"x"}' },
    ]);
    expect(gateway.abandons).toEqual([{ nodeId: 'node-1', hash: 'h', token: 'c2' }]);
  });

  it('is unavailable before the agent registered', async () => {
    const session = new RecordingSession();
    session.credentials = null;
    const claims = new GatewayStepClaims(new ScriptedStepGateway(), session);
    await expect(claims.claim('h')).rejects.toThrow(UnavailableError);
  });

  it('hands a lost session over to the session, which registers again', async () => {
    const gateway = new ScriptedStepGateway();
    gateway.answers = [new UnauthenticatedError('unknown token')];
    const session = new RecordingSession();
    const claims = new GatewayStepClaims(gateway, session);
    await expect(claims.claim('h')).rejects.toThrow('unknown token');
    expect(session.invalidated).toEqual([{ token: 'tok-1', why: 'step cache: unknown token' }]);
  });

  it('has no credentials until a session is bound to its slot', async () => {
    const slot = new SessionSlot();
    expect(slot.current()).toBeNull();
    slot.bind(new RecordingSession());
    expect(slot.current()).toEqual({ nodeId: 'node-1', token: 'tok-1' });
  });
});

describe('agentStepCache', () => {
  it('collapses identical calls in flight on the agent into one claim, then completes it', async () => {
    const gateway = new ScriptedStepGateway();
    const cache = agentStepCache(
      new GatewayStepClaims(gateway, new RecordingSession()),
      silentLogger(),
    );
    let computed = 0;
    const compute = async () => ({ text: `answer ${++computed}` });
    const answers = await Promise.all([
      cache.getOrCompute('h', compute),
      cache.getOrCompute('h', compute),
      cache.getOrCompute('h', compute),
    ]);
    expect(answers.map((a) => a.source)).toEqual(['computed', 'inflight', 'inflight']);
    expect(answers.map((a) => a.value)).toEqual(Array(3).fill({ text: 'answer 1' }));
    expect(gateway.claims).toHaveLength(1);
    expect(gateway.completes).toEqual([
      { nodeId: 'node-1', hash: 'h', token: 'claim-1', valueJson: '{"text":"answer 1"}' },
    ]);
  });

  it('computes the call when the control plane cannot be reached', async () => {
    const gateway = new ScriptedStepGateway();
    gateway.answers = [new UnavailableError('control plane down')];
    const cache = agentStepCache(
      new GatewayStepClaims(gateway, new RecordingSession()),
      silentLogger(),
    );
    expect(await cache.getOrCompute('h', async () => 'v')).toEqual({
      value: 'v',
      source: 'computed',
    });
    expect(gateway.completes).toEqual([]);
  });
});
