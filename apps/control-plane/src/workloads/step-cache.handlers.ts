/**
 * AgentGatewayService's step-cache calls (ADR 9): agents running reasoning jobs look identical
 * engine calls up in the cluster's cache, on Redis, through the control plane (so agents need no
 * Redis credentials).
 * - ClaimStep: checks the node token; answers the cached value, the claim to compute it, or
 *   "wait" with how long the current claim has left.
 * - CompleteStep: stores a claimed call's value (first value wins) and releases the claim.
 * - AbandonStep: releases a claim without a value.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { ValidationError } from '@gantry/domain';
import { toDuration, unary, type CallObserver } from '@gantry/grpc';
import type * as pb from '@gantry/proto';
import type { RedisStepClaims } from '@gantry/queue';
import { AuthService } from '../api/auth.service';
import { STEP_CLAIMS } from '../infrastructure/tokens';

const HASH = /^[0-9a-f]{64}$/;

function checkHash(hash: string): void {
  if (!HASH.test(hash)) throw ValidationError.field('hash', 'must be 64 lower-case hex digits');
}

function checkToken(token: string): void {
  if (!token) throw ValidationError.field('token', 'is required');
}

@Injectable()
export class StepCacheHandlers {
  constructor(
    private readonly auth: AuthService,
    @Inject(STEP_CLAIMS) private readonly claims: RedisStepClaims,
  ) {}

  implementation(
    observer: CallObserver,
  ): Pick<pb.AgentGatewayServiceServer, 'claimStep' | 'completeStep' | 'abandonStep'> {
    return {
      claimStep: unary(
        'ClaimStep',
        (req: pb.ClaimStepRequest, call) => this.claim(req, call.metadata),
        observer,
      ),
      completeStep: unary(
        'CompleteStep',
        (req: pb.CompleteStepRequest, call) => this.complete(req, call.metadata),
        observer,
      ),
      abandonStep: unary(
        'AbandonStep',
        (req: pb.AbandonStepRequest, call) => this.abandon(req, call.metadata),
        observer,
      ),
    };
  }

  private async claim(req: pb.ClaimStepRequest, metadata: Metadata): Promise<pb.ClaimStepResponse> {
    await this.auth.node(metadata, req.nodeId);
    checkHash(req.hash);
    const answer = await this.claims.claim(req.hash);
    switch (answer.kind) {
      case 'value':
        return { outcome: { $case: 'valueJson', valueJson: answer.json } };
      case 'wait':
        return {
          outcome: { $case: 'retryAfter', retryAfter: toDuration(answer.retryAfterMs / 1000) },
        };
      case 'claim':
        return {
          outcome: {
            $case: 'claim',
            claim: { token: answer.token, claimTtl: toDuration(answer.ttlMs / 1000) },
          },
        };
    }
  }

  private async complete(
    req: pb.CompleteStepRequest,
    metadata: Metadata,
  ): Promise<pb.CompleteStepResponse> {
    await this.auth.node(metadata, req.nodeId);
    checkHash(req.hash);
    checkToken(req.token);
    try {
      JSON.parse(req.valueJson);
    } catch {
      throw ValidationError.field('value_json', 'must be JSON');
    }
    await this.claims.complete(req.hash, req.token, req.valueJson);
    return {};
  }

  private async abandon(
    req: pb.AbandonStepRequest,
    metadata: Metadata,
  ): Promise<pb.AbandonStepResponse> {
    await this.auth.node(metadata, req.nodeId);
    checkHash(req.hash);
    checkToken(req.token);
    await this.claims.abandon(req.hash, req.token);
    return {};
  }
}
