import {
  credentialFromPlaintext,
  derivedCredential,
  newCredential,
  parseCredential,
  secretMatches,
} from './credentials';

describe('credentials', () => {
  it('round-trips a new API key through parse and hash', () => {
    const key = newCredential('api-key');
    expect(key.plaintext).toMatch(/^gk_[0-9a-f]{18}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseCredential('api-key', key.plaintext)!;
    expect(parsed.lookupId).toBe(key.lookupId);
    expect(secretMatches(parsed.secret, key.secretHash)).toBe(true);
    expect(
      secretMatches(
        parsed.secret.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        key.secretHash,
      ),
    ).toBe(false);
  });

  it('rejects a credential of another kind or form', () => {
    const token = newCredential('node-token');
    expect(parseCredential('api-key', token.plaintext)).toBeUndefined();
    expect(parseCredential('api-key', 'not-a-key')).toBeUndefined();
    expect(credentialFromPlaintext('node-token', token.plaintext)?.secretHash).toBe(
      token.secretHash,
    );
  });

  it('derives the same node token from the master secret and lookup id, and another for another secret', () => {
    const first = derivedCredential('node-token', 'bootstrap-secret-123', 'aabbccddeeff001122');
    const again = derivedCredential('node-token', 'bootstrap-secret-123', 'aabbccddeeff001122');
    const other = derivedCredential('node-token', 'another-secret-4567', 'aabbccddeeff001122');
    expect(again.plaintext).toBe(first.plaintext);
    expect(other.plaintext).not.toBe(first.plaintext);
    expect(parseCredential('node-token', first.plaintext)?.lookupId).toBe('aabbccddeeff001122');
  });
});
