/**
 * Runs the leader lease: a follower tries to acquire it every `retryMs`; the leader renews it every
 * ttl/3 and steps down when a renewal says the lease is gone, or when none succeeded for a whole
 * ttl (errors, hung calls: another replica may hold it by then). Errors are logged, never thrown.
 */
import { type Clock, ValidationError } from '@gantry/domain';
import { type LeaderLease } from '../api';
import { type QueueLogger, toError } from '../logger';
import { invoke, type Timers, withTimeout } from './timers';

export interface LeaderElectorOptions {
  readonly lease: LeaderLease;
  /** The lease's ttl in ms (as given to the lease). */
  readonly ttlMs: number;
  /** Pause between acquisition tries while a follower, in ms. */
  readonly retryMs: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: QueueLogger;
  /** Called when this replica becomes leader, with the fencing token for its writes. */
  readonly onElected: (token: number) => void | Promise<void>;
  /** Called when it stops being leader (lease lost, not renewed in time, or stop()). */
  readonly onDemoted: (reason: string) => void | Promise<void>;
  /** Longest wait for one lease call, in ms. Default ttl/3. */
  readonly callTimeoutMs?: number;
}

type Role =
  { kind: 'idle' | 'follower' | 'stopped' } | { kind: 'leader'; token: number; validUntil: number };

export class LeaderElector {
  private role: Role = { kind: 'idle' };
  /** Bumped on every role change: a result that arrives for an older epoch is stale. */
  private epoch = 0;
  private tick: unknown;
  private watchdog: unknown;
  private releaseOnStop = true;
  private readonly renewEveryMs: number;
  private readonly callTimeoutMs: number;

  constructor(private readonly options: LeaderElectorOptions) {
    for (const [field, ms] of [
      ['ttlMs', options.ttlMs],
      ['retryMs', options.retryMs],
    ] as const) {
      if (!(ms > 0))
        throw ValidationError.field(field, `must be a positive number of ms, got ${ms}`);
    }
    this.renewEveryMs = Math.max(1, Math.floor(options.ttlMs / 3));
    this.callTimeoutMs = options.callTimeoutMs ?? this.renewEveryMs;
  }

  /** The fencing token while leader. */
  get token(): number | undefined {
    return this.role.kind === 'leader' ? this.role.token : undefined;
  }

  start(): void {
    if (this.role.kind !== 'idle') throw new Error('LeaderElector.start() was already called');
    this.role = { kind: 'follower' };
    this.schedule(0, () => this.tryAcquire());
  }

  /**
   * Stops the loop; while leader, releases the lease (unless `release: false`, which leaves it to
   * expire like a crash would) and calls onDemoted. Safe to call twice.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (this.role.kind === 'stopped') return;
    const was = this.role;
    this.releaseOnStop = options.release ?? true;
    this.setRole({ kind: 'stopped' });
    if (was.kind !== 'leader') return;
    if (this.releaseOnStop) await this.releaseQuietly(was.token);
    this.notify('onDemoted', () => this.options.onDemoted('the elector was stopped'));
  }

  private async tryAcquire(): Promise<void> {
    const epoch = this.epoch;
    const startedAt = this.options.clock.now();
    const call = invoke(() => this.options.lease.tryAcquire());
    let token: number | undefined;
    try {
      token = await this.bounded('acquiring the lease', call);
    } catch (error) {
      this.options.logger.warn({ err: toError(error) }, 'Could not try the leader lease; retrying');
      // Should the call still succeed, give the lease back rather than block everyone for a ttl.
      this.whenLate(call, (late) => this.releaseLate(late));
    }
    if (epoch !== this.epoch) return this.releaseIfStale(epoch, token);
    if (token === undefined) return this.schedule(this.options.retryMs, () => this.tryAcquire());
    this.setRole({ kind: 'leader', token, validUntil: startedAt + this.options.ttlMs });
    this.options.logger.info({ token }, 'Became leader');
    this.notify('onElected', () => this.options.onElected(token));
    this.armWatchdog();
    this.schedule(this.renewEveryMs, () => this.renew());
  }

  private async renew(): Promise<void> {
    if (this.role.kind !== 'leader') return;
    const { token } = this.role;
    const epoch = this.epoch;
    const startedAt = this.options.clock.now();
    const call = invoke(() => this.options.lease.renew(token));
    let renewed: boolean;
    try {
      renewed = await this.bounded('renewing the lease', call);
    } catch (error) {
      // A renewal that succeeds after its timeout, once we stepped down, is given back.
      this.whenLate(call, (late) => this.releaseIfStale(epoch, late ? token : undefined));
      if (epoch !== this.epoch) return;
      const leftMs = this.role.validUntil - this.options.clock.now();
      this.options.logger.warn(
        { err: toError(error), token, leftMs },
        'Could not renew the leader lease',
      );
      return this.schedule(this.renewEveryMs, () => this.renew());
    }
    if (epoch !== this.epoch) return this.releaseIfStale(epoch, renewed ? token : undefined);
    if (!renewed) return this.demote('the lease expired or another replica took it');
    this.role = { kind: 'leader', token, validUntil: startedAt + this.options.ttlMs };
    this.armWatchdog();
    this.schedule(this.renewEveryMs, () => this.renew());
  }

  private demote(reason: string): void {
    this.setRole({ kind: 'follower' });
    this.options.logger.warn({ reason }, 'Stopped being leader');
    this.notify('onDemoted', () => this.options.onDemoted(reason));
    this.schedule(this.options.retryMs, () => this.tryAcquire());
  }

  private armWatchdog(): void {
    if (this.role.kind !== 'leader') return;
    this.options.timers.clearTimeout(this.watchdog);
    const ms = Math.max(0, this.role.validUntil - this.options.clock.now());
    this.watchdog = this.options.timers.setTimeout(
      () => this.demote(`no renewal succeeded within the lease ttl (${this.options.ttlMs} ms)`),
      ms,
    );
  }

  private setRole(role: Role): void {
    this.epoch += 1;
    this.role = role;
    this.options.timers.clearTimeout(this.tick);
    this.options.timers.clearTimeout(this.watchdog);
  }

  private schedule(ms: number, step: () => Promise<void>): void {
    if (this.role.kind === 'stopped') return;
    this.options.timers.clearTimeout(this.tick);
    this.tick = this.options.timers.setTimeout(() => {
      step().catch((error) =>
        this.options.logger.error({ err: toError(error) }, 'Leader elector step failed'),
      );
    }, ms);
  }

  /** A token won (or kept) for an epoch we have left: give it back. */
  private async releaseIfStale(epoch: number, token: number | undefined): Promise<void> {
    if (epoch !== this.epoch) await this.releaseLate(token);
  }

  /** Releases a token nobody uses, unless stopped with `release: false` (a simulated crash). */
  private async releaseLate(token: number | undefined): Promise<void> {
    if (token === undefined || (this.role.kind === 'stopped' && !this.releaseOnStop)) return;
    await this.releaseQuietly(token);
  }

  private async releaseQuietly(token: number): Promise<void> {
    try {
      await this.bounded(
        'releasing the lease',
        invoke(() => this.options.lease.release(token)),
      );
    } catch (error) {
      this.options.logger.warn({ err: toError(error), token }, 'Could not release the lease');
    }
  }

  /** Handles the result of a call that timed out, should it ever come. */
  private whenLate<T>(call: Promise<T>, handle: (late: T) => Promise<void>): void {
    void call.then(handle, () => undefined);
  }

  private bounded<T>(what: string, call: Promise<T>): Promise<T> {
    return withTimeout(this.options.timers, this.callTimeoutMs, what, call);
  }

  private notify(what: string, callback: () => void | Promise<void>): void {
    const report = (error: unknown): void =>
      this.options.logger.error({ err: toError(error) }, `LeaderElector ${what} callback failed`);
    try {
      Promise.resolve(callback()).catch(report);
    } catch (error) {
      report(error);
    }
  }
}
