import { Metadata } from '@grpc/grpc-js';
import { UnauthenticatedError } from '@gantry/domain';
import { bearerMetadata, bearerToken } from './metadata';

function withAuthorization(value: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', value);
  return metadata;
}

describe('bearerToken', () => {
  it('rejects metadata without authorization, saying what to send', () => {
    expect(() => bearerToken(new Metadata())).toThrow(UnauthenticatedError);
    expect(() => bearerToken(new Metadata())).toThrow(
      'missing authorization: Bearer <key> metadata',
    );
  });

  it.each(['gk_abc', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer two words', 'Bearerabc'])(
    'rejects the malformed header %p',
    (value) => {
      expect(() => bearerToken(withAuthorization(value))).toThrow(
        new UnauthenticatedError('authorization metadata must be "Bearer <key>"'),
      );
    },
  );

  it.each([
    ['Bearer gk_abc', 'gk_abc'],
    ['bearer gk_abc', 'gk_abc'],
    ['  Bearer   gk_abc  ', 'gk_abc'],
  ])('takes the token of %p', (value, token) => {
    expect(bearerToken(withAuthorization(value))).toBe(token);
  });

  it('reads what bearerMetadata writes', () => {
    expect(bearerToken(bearerMetadata('gn_0123_secret'))).toBe('gn_0123_secret');
  });
});
