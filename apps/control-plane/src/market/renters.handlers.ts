/**
 * AdminService's renter calls (ADR 10); every one needs an admin key.
 * - CreateRenter: writes a tenant of kind renter, its first key (returned once), its spend limit
 *   and its ledger account (PostgreSQL, one transaction).
 * - ListRenters: reads renters with their balances.
 * - TopUp: writes one ledger posting `topup/<idempotency_key>` (renter's account +amount,
 *   `topups` -amount); a retry with the same key and body is the same posting.
 * - SetSpendLimit: writes the renter's spend limit.
 * Emits nothing.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { checkMicros, topUpPosting, ValidationError, type Clock } from '@gantry/domain';
import { unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { LedgerRepository, RenterRecord, RenterRepository } from '@gantry/store';
import { AuthService } from '../api/auth.service';
import { CLOCK, LEDGER, RENTERS } from '../infrastructure/tokens';

const MAX_KEY_LENGTH = 128;
const MAX_NOTE_LENGTH = 1024;

/** A renter as AdminService shows it. */
export function toProtoRenter(renter: RenterRecord): pb.Renter {
  return {
    name: renter.tenant.name,
    balanceMicros: renter.balance,
    spendLimitMicros: renter.spendLimit,
    activeLeases: renter.activeLeases,
    createTime: new Date(renter.tenant.createdAt),
  };
}

/** The TopUp request checked: ValidationError naming the first bad field. */
export function checkTopUp(req: pb.TopUpRequest): { key: string; note: string } {
  if (!req.renter) throw ValidationError.field('renter', 'is required');
  checkMicros('amount_micros', req.amountMicros, 1);
  const key = req.idempotencyKey.trim();
  if (key === '') throw ValidationError.field('idempotency_key', 'is required');
  if (key.length > MAX_KEY_LENGTH || [...key].some((c) => c < ' ')) {
    throw ValidationError.field(
      'idempotency_key',
      `must be at most ${MAX_KEY_LENGTH} printable characters`,
    );
  }
  if (req.note.length > MAX_NOTE_LENGTH)
    throw ValidationError.field('note', `must be at most ${MAX_NOTE_LENGTH} characters`);
  return { key, note: req.note };
}

/** AdminService's renter calls (see the header). */
@Injectable()
export class RentersHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(RENTERS) private readonly renters: RenterRepository,
    @Inject(LEDGER) private readonly ledger: LedgerRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<pb.AdminServiceServer, 'createRenter' | 'listRenters' | 'topUp' | 'setSpendLimit'> {
    const admin = async <T>(metadata: Metadata, work: () => Promise<T>): Promise<T> => {
      await this.auth.admin(metadata);
      return work();
    };
    return {
      createRenter: unary(
        'CreateRenter',
        (req: pb.CreateRenterRequest, call) =>
          admin(call.metadata, async () => {
            checkMicros('spend_limit_micros', req.spendLimitMicros, 0);
            const { renter, apiKey } = await this.renters.createRenter(
              req.name,
              req.spendLimitMicros,
              this.clock.now(),
            );
            return { renter: toProtoRenter(renter), apiKey: apiKey.plaintext };
          }),
        observer,
      ),
      listRenters: unary(
        'ListRenters',
        (_req: pb.ListRentersRequest, call) =>
          admin(call.metadata, async () => ({
            renters: (await this.renters.listRenters()).map(toProtoRenter),
          })),
        observer,
      ),
      topUp: unary(
        'TopUp',
        (req: pb.TopUpRequest, call) => admin(call.metadata, () => this.topUp(req)),
        observer,
      ),
      setSpendLimit: unary(
        'SetSpendLimit',
        (req: pb.SetSpendLimitRequest, call) =>
          admin(call.metadata, async () => {
            if (!req.renter) throw ValidationError.field('renter', 'is required');
            checkMicros('spend_limit_micros', req.spendLimitMicros, 0);
            const renter = await this.renters.setSpendLimit(req.renter, req.spendLimitMicros);
            return { renter: toProtoRenter(renter) };
          }),
        observer,
      ),
    };
  }

  private async topUp(req: pb.TopUpRequest): Promise<pb.TopUpResponse> {
    const { key, note } = checkTopUp(req);
    const { tenant } = await this.renters.getRenter(req.renter);
    // Top-ups only add to the balance: never refused for the spend limit.
    const { posting } = await this.ledger.post(
      topUpPosting(tenant.id, req.amountMicros, `topup/${key}`, note),
      this.clock.now(),
      { mayOverdraw: true },
    );
    return {
      renter: toProtoRenter(await this.renters.getRenter(req.renter)),
      postingId: posting.id,
    };
  }
}
