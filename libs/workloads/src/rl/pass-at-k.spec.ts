import { passAtK } from './pass-at-k';

/** 1 - C(n-c, k) / C(n, k) with exact integers, for checking. */
function exact(n: number, c: number, k: number): number {
  const comb = (a: number, b: number): bigint => {
    if (b > a) return 0n;
    let r = 1n;
    for (let i = 0; i < b; i++) r = (r * BigInt(a - i)) / BigInt(i + 1);
    return r;
  };
  const scale = 10n ** 15n;
  return 1 - Number((comb(n - c, k) * scale) / comb(n, k)) / Number(scale);
}

describe('passAtK', () => {
  it('matches hand-computed values', () => {
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12); // 1 - C(3,2)/C(5,2) = 1 - 3/10
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12); // pass@1 is c/n
    expect(passAtK(4, 1, 4)).toBe(1); // n - c < k: every draw of 4 includes the pass
    expect(passAtK(4, 0, 2)).toBe(0);
    expect(passAtK(8, 8, 8)).toBe(1);
  });

  it.each([
    [20, 5, 10],
    [100, 7, 16],
    [1024, 3, 512],
    [1024, 1, 1],
  ])('agrees with the exact binomial ratio for n=%i c=%i k=%i', (n, c, k) => {
    expect(passAtK(n, c, k)).toBeCloseTo(exact(n, c, k), 12);
  });

  it('stays finite where the binomials would overflow a double', () => {
    const value = passAtK(100_000, 10, 50_000);
    expect(value).toBeGreaterThan(0.999);
    expect(value).toBeLessThanOrEqual(1);
  });

  it('rejects impossible counts', () => {
    expect(() => passAtK(4, 5, 1)).toThrow(RangeError);
    expect(() => passAtK(4, 1, 5)).toThrow(
      'pass@k needs whole numbers with 0 <= c <= n and 1 <= k <= n (got n=4, c=1, k=5)',
    );
  });
});
