import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { cryptoRandomBytes, type RandomBytes } from './ids';

/**
 * Bearer credentials: API keys for tenants (`gk_...`) and node tokens for agents (`gn_...`).
 * A credential is `<prefix>_<lookup id>_<secret>`; only the sha256 of the secret is stored.
 * Secrets are 256 random bits, so a fast hash is enough (no password stretching needed).
 */
export type CredentialKind = 'api-key' | 'node-token';

const PREFIX: Record<CredentialKind, string> = { 'api-key': 'gk', 'node-token': 'gn' };

export interface Credential {
  /** The whole credential, shown once to its owner. */
  readonly plaintext: string;
  /** Stored in clear; finds the record. */
  readonly lookupId: string;
  /** Stored instead of the secret. */
  readonly secretHash: string;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newCredential(
  kind: CredentialKind,
  random: RandomBytes = cryptoRandomBytes,
): Credential {
  const lookupId = Buffer.from(random(9)).toString('hex');
  const secret = base64url(random(32));
  return {
    plaintext: `${PREFIX[kind]}_${lookupId}_${secret}`,
    lookupId,
    secretHash: hashSecret(secret),
  };
}

/** Splits a presented credential, or returns undefined when it is not of the kind's form. */
export function parseCredential(
  kind: CredentialKind,
  presented: string,
): { lookupId: string; secret: string } | undefined {
  const match = /^([a-z]+)_([0-9a-f]{18})_([A-Za-z0-9_-]{43})$/.exec(presented.trim());
  if (!match || match[1] !== PREFIX[kind]) return undefined;
  return { lookupId: match[2]!, secret: match[3]! };
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A static credential from configuration (the admin key, the bootstrap token) in the same form. */
export function credentialFromPlaintext(
  kind: CredentialKind,
  plaintext: string,
): Credential | undefined {
  const parsed = parseCredential(kind, plaintext);
  if (!parsed) return undefined;
  return { plaintext, lookupId: parsed.lookupId, secretHash: hashSecret(parsed.secret) };
}

export const TENANT_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * A credential whose secret is derived from a master secret (HMAC-SHA256 of the lookup id), so
 * a party holding the master secret can re-create it without storing it. Node tokens are made
 * this way from the bootstrap token: the control plane stores only their hash, yet can present
 * a node's token when it calls that node's agent.
 */
export function derivedCredential(
  kind: CredentialKind,
  masterSecret: string,
  lookupId: string = Buffer.from(cryptoRandomBytes(9)).toString('hex'),
): Credential {
  const secret = createHmac('sha256', masterSecret)
    .update(`${kind}:${lookupId}`)
    .digest('base64url');
  return {
    plaintext: `${PREFIX[kind]}_${lookupId}_${secret}`,
    lookupId,
    secretHash: hashSecret(secret),
  };
}
