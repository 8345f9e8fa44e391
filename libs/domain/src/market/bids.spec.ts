import { BID_STEP_MICROS, bidPriority, leastBidOver, renterReclaimCause } from './bids';

describe('bids (ADR 12)', () => {
  it.each([
    [1_500_000, 150], // $1.50 -> 150 cents
    [1_504_999, 150],
    [1_505_000, 151], // rounded half up
    [10_000_000, 1000],
    [100_000_000, 1000], // $10 and above rank alike
  ])('a bid of %i micro-dollars has priority %i', (bid, priority) => {
    expect(bidPriority(bid)).toBe(priority);
  });

  it('the least bid over a priority is a cent above it, and wins over it', () => {
    expect(leastBidOver(150)).toBe(1_510_000);
    expect(bidPriority(leastBidOver(150)!)).toBeGreaterThan(150);
    expect(bidPriority(leastBidOver(150)! - BID_STEP_MICROS)).toBe(150); // a cent less does not
    expect(leastBidOver(999)).toBe(10_000_000);
    expect(leastBidOver(1000)).toBeNull(); // the top priority cannot be outbid
  });
});

describe('renterReclaimCause', () => {
  it('tells a renter the kind of demand, never the other job or the bids', () => {
    expect(
      renterReclaimCause(
        'preempted for job_b: a higher bid needs its GPUs (priority 300 over 150 in class x)',
      ),
    ).toBe('a higher bid needs its GPUs');
    expect(renterReclaimCause('preempted for job_serve: a serving job needs its GPUs')).toBe(
      'internal work needs its GPUs',
    );
    expect(renterReclaimCause('')).toBe('internal work needs its GPUs');
  });
});
