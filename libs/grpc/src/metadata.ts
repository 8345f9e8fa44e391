import { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedError } from '@gantry/domain';

/** The token of an `authorization: Bearer <token>` header, or UnauthenticatedError. */
export function bearerToken(metadata: Metadata): string {
  const [value] = metadata.get('authorization');
  if (value === undefined)
    throw new UnauthenticatedError('missing authorization: Bearer <key> metadata');
  const match = /^Bearer\s+(\S+)$/i.exec(String(value).trim());
  if (!match) throw new UnauthenticatedError('authorization metadata must be "Bearer <key>"');
  return match[1]!;
}

export function bearerMetadata(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}
