/**
 * pass@k, the unbiased estimator of Chen et al. (2021): with n samples of which c pass, the
 * chance that at least one of k drawn without replacement passes, 1 - C(n-c, k) / C(n, k).
 * Computed as 1 - prod_{i=n-c+1..n} (1 - k/i), which never forms the huge binomials.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (![n, c, k].every(Number.isInteger) || c < 0 || c > n || k < 1 || k > n)
    throw new RangeError(
      `pass@k needs whole numbers with 0 <= c <= n and 1 <= k <= n (got n=${n}, c=${c}, k=${k})`,
    );
  if (n - c < k) return 1;
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}
