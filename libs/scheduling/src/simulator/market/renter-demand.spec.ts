import {
  checkRenterDemand,
  DEFAULT_RENTER_DEMAND,
  RenterDemand,
  type RenterDemandOptions,
  type RenterRequest,
} from './renter-demand';

const DAY = 24 * 3600;

function draw(options: Partial<RenterDemandOptions> = {}, until = 10 * DAY): RenterRequest[] {
  const stream = new RenterDemand({ ...DEFAULT_RENTER_DEMAND, ...options }, until);
  const out: RenterRequest[] = [];
  for (let r = stream.take(); r; r = stream.take()) out.push(r);
  return out;
}

describe('renter demand', () => {
  const requests = draw();

  it('is the same stream for the same seed, another for another seed', () => {
    const again = draw();
    expect(again.length).toBe(requests.length);
    expect(again.slice(0, 500)).toEqual(requests.slice(0, 500));
    expect(again[again.length - 1]).toEqual(requests[requests.length - 1]);
    const other = draw({ seed: 2 });
    expect(other.slice(0, 50)).not.toEqual(requests.slice(0, 50));
  });

  it('names requests in arrival order, at whole seconds, inside [0, until)', () => {
    expect(requests[0]!.id).toBe('lease-000001');
    const bad = requests.findIndex(
      (r, i) =>
        r.id !== `lease-${String(i + 1).padStart(6, '0')}` ||
        !Number.isInteger(r.at) ||
        (i > 0 && r.at < requests[i - 1]!.at),
    );
    expect(bad).toBe(-1);
    expect(requests[requests.length - 1]!.at).toBeLessThan(10 * DAY);
    expect(draw({}, 3600).every((r) => r.at < 3600)).toBe(true);
  });

  // 10 days at 360 an hour: ~86,000 requests, so the sample figures are within a percent or two.
  it('arrives as a Poisson process of the rate: exponential gaps of mean 3600 / rate', () => {
    expect(Math.abs(requests.length / (10 * 24) - 360) / 360).toBeLessThan(0.02);
    const gaps = requests.slice(1).map((r, i) => r.at - requests[i]!.at);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(Math.abs(mean - 10) / 10).toBeLessThan(0.02);
    // Exponential: P(gap > 2 x mean) = e^-2 (whole seconds shift it a little).
    const long = gaps.filter((g) => g > 20).length / gaps.length;
    expect(long).toBeGreaterThan(0.12);
    expect(long).toBeLessThan(0.15);
  });

  it('asks for 1, 2, 4 or 8 GPUs with the documented weights', () => {
    const share = (gpus: number) =>
      requests.filter((r) => r.gpus === gpus).length / requests.length;
    expect(share(1)).toBeCloseTo(0.4, 1);
    expect(share(2)).toBeCloseTo(0.25, 1);
    expect(share(4)).toBeCloseTo(0.2, 1);
    expect(share(8)).toBeCloseTo(0.15, 1);
    expect(share(1) + share(2) + share(4) + share(8)).toBe(1);
  });

  it('lasts an exponential time of the mean, in whole seconds within the bounds', () => {
    const durations = requests.map((r) => r.durationSeconds);
    const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
    // The 1-minute floor adds ~60 x P(< 60 s) + the round-up ~0.5 s: a little over the mean.
    expect(Math.abs(mean - 3600) / 3600).toBeLessThan(0.02);
    expect(durations.every((d) => Number.isInteger(d) && d >= 60 && d <= DAY)).toBe(true);
    const median = [...durations].sort((a, b) => a - b)[durations.length >> 1]!;
    expect(Math.abs(median - 3600 * Math.LN2) / (3600 * Math.LN2)).toBeLessThan(0.03);
  });

  it('spreads bids uniformly and requests over the renters', () => {
    const draws = requests.map((r) => r.bidDraw);
    expect(draws.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.5, 2);
    const renters = new Set(requests.map((r) => r.renter));
    expect([...renters].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `renter-${String(i + 1).padStart(2, '0')}`),
    );
  });

  it.each([
    [{ ratePerHour: 0 }, 'renters rate: must be requests per hour > 0'],
    [{ seed: -1 }, 'renters seed: must be a whole number from 0 to 4294967295'],
    [{ sizes: [[3, 0]] as const }, 'renters sizes: must be weights > 0'],
    [{ sizes: [[65, 1]] as const }, 'renters sizes: must be GPU counts from 1 to 64'],
    [{ meanDurationSeconds: 30 }, 'renters duration: must be seconds from 60 to 86400'],
    [{ noticeSeconds: 1.5 }, 'renters notice: must be whole seconds from 0 to 3600'],
  ])('refuses %j', (patch, message) => {
    expect(() => checkRenterDemand({ ...DEFAULT_RENTER_DEMAND, ...patch })).toThrow(message);
  });
});
