import { NotFoundError, UnauthenticatedError } from '@gantry/domain';
import type { Logger } from '@gantry/observability';
import type { HeartbeatRequest, RegisterRequest, TaskRef } from '@gantry/proto';
import { durationMs } from '../protocol/mapping';
import { Backoff, CONTROL_PLANE_BACKOFF, type BackoffOptions } from './backoff';
import type { AgentGateway } from './gateway';
import { sleep as realSleep, type Sleep } from './sleeper';

/** What this agent got from Register: its node id and the token of every later call. */
export interface Credentials {
  readonly nodeId: string;
  readonly token: string;
}

/** What the session tells the control plane about this node, and does with its orders. */
export interface NodeReport {
  registerRequest(): RegisterRequest;
  heartbeatRequest(nodeId: string): HeartbeatRequest;
  stopTasks(refs: readonly TaskRef[], why: string): void;
}

export interface AgentSessionOptions {
  readonly gateway: Pick<AgentGateway, 'register' | 'heartbeat'>;
  readonly node: NodeReport;
  readonly bootstrapToken: string;
  readonly log: Logger;
  readonly sleep?: Sleep;
  readonly backoff?: BackoffOptions;
  /** Until Register says otherwise. */
  readonly heartbeatMs?: number;
}

/** The control plane forgot this node (data loss) or rotated its token: register again. */
export function isSessionLost(error: unknown): boolean {
  return error instanceof UnauthenticatedError || error instanceof NotFoundError;
}

/**
 * The agent's standing with the control plane: Register (bootstrap token, retried with capped
 * exponential backoff until the control plane answers), then a Heartbeat every interval the
 * control plane asks for, carrying the inventory and the tasks; `stop_tasks` in a reply are
 * stopped. A heartbeat (or an event report, through `invalidate`) answered UNAUTHENTICATED or
 * NOT_FOUND makes it register again at once, listing the tasks it still runs, which keep
 * running; UNAVAILABLE only slows the heartbeats down (backoff) and changes nothing else.
 */
export class AgentSession {
  private credentials: Credentials | null = null;
  private intervalMs: number;
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private wakeup = new AbortController();
  private readonly registeredListeners: (() => void)[] = [];
  private readonly sleep: Sleep;
  private readonly registerBackoff: Backoff;
  private readonly heartbeatBackoff: Backoff;
  private registrations = 0;
  /** After a failed heartbeat: the backoff's delay (never less than the interval). */
  private nextHeartbeatMs: number | undefined;

  constructor(private readonly o: AgentSessionOptions) {
    this.intervalMs = o.heartbeatMs ?? 2000;
    this.sleep = o.sleep ?? realSleep;
    this.registerBackoff = new Backoff(o.backoff ?? CONTROL_PLANE_BACKOFF);
    this.heartbeatBackoff = new Backoff(o.backoff ?? CONTROL_PLANE_BACKOFF);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  current(): Credentials | null {
    return this.credentials;
  }

  onRegistered(listener: () => void): void {
    this.registeredListeners.push(listener);
  }

  /** Drops the credentials if `token` is still the current one, and registers again. */
  invalidate(token: string, why: string): void {
    if (this.credentials?.token !== token) return;
    this.o.log.warn({ why }, 'the control plane no longer accepts this node; registering again');
    this.credentials = null;
    this.wakeup.abort();
    this.wakeup = new AbortController();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      if (!this.credentials) {
        await this.register();
        continue;
      }
      await this.pause(this.nextHeartbeatMs ?? this.intervalMs);
      const credentials = this.credentials;
      if (credentials && !this.stopping.signal.aborted) await this.heartbeat(credentials);
    }
  }

  private async register(): Promise<void> {
    const request = this.o.node.registerRequest();
    try {
      const response = await this.o.gateway.register(request, this.o.bootstrapToken);
      if (!response.nodeId || !response.nodeToken)
        throw new Error('the control plane answered Register without a node id or token');
      this.intervalMs = durationMs(response.heartbeatInterval) ?? this.intervalMs;
      this.credentials = { nodeId: response.nodeId, token: response.nodeToken };
      this.registerBackoff.reset();
      this.heartbeatBackoff.reset();
      this.nextHeartbeatMs = undefined;
      this.registrations += 1;
      this.o.log.info(
        { nodeId: response.nodeId, tasks: request.tasks.length, heartbeatMs: this.intervalMs },
        this.registrations === 1 ? 'registered with the control plane' : 'registered again',
      );
      this.registeredListeners.forEach((listener) => listener());
    } catch (error) {
      const delay = this.registerBackoff.next();
      if (this.registerBackoff.shouldLog())
        this.o.log.warn(
          {
            err: (error as Error).message,
            attempt: this.registerBackoff.attempts,
            retryInMs: delay,
          },
          error instanceof UnauthenticatedError
            ? 'the control plane rejected the bootstrap token; retrying'
            : 'cannot register with the control plane; retrying',
        );
      await this.pause(delay);
    }
  }

  private async heartbeat(credentials: Credentials): Promise<void> {
    try {
      const request = this.o.node.heartbeatRequest(credentials.nodeId);
      const response = await this.o.gateway.heartbeat(request, credentials.token);
      if (this.heartbeatBackoff.attempts > 0) this.o.log.info({}, 'heartbeats get through again');
      this.heartbeatBackoff.reset();
      this.nextHeartbeatMs = undefined;
      this.intervalMs = durationMs(response.heartbeatInterval) ?? this.intervalMs;
      if (response.stopTasks.length > 0)
        this.o.node.stopTasks(response.stopTasks, 'the control plane asked the agent to stop it');
    } catch (error) {
      if (isSessionLost(error)) return this.invalidate(credentials.token, (error as Error).message);
      this.nextHeartbeatMs = Math.max(this.intervalMs, this.heartbeatBackoff.next());
      if (this.heartbeatBackoff.shouldLog())
        this.o.log.warn(
          {
            err: (error as Error).message,
            failures: this.heartbeatBackoff.attempts,
            retryInMs: this.nextHeartbeatMs,
          },
          'heartbeat failed; tasks keep running, retrying',
        );
    }
  }

  private pause(ms: number): Promise<void> {
    return this.sleep(ms, AbortSignal.any([this.stopping.signal, this.wakeup.signal]));
  }
}
