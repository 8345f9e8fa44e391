import { hostOf, RENDEZVOUS_PORTS, rendezvousPort } from './rendezvous';

describe('rendezvousPort', () => {
  it('is the same for every rank of an attempt and within the range', () => {
    const port = rendezvousPort('job_01jd8z0k3v4w5x6y7z8a9b0c1d', 2);
    expect(rendezvousPort('job_01jd8z0k3v4w5x6y7z8a9b0c1d', 2)).toBe(port);
    expect(port).toBeGreaterThanOrEqual(RENDEZVOUS_PORTS.first);
    expect(port).toBeLessThan(RENDEZVOUS_PORTS.first + RENDEZVOUS_PORTS.count);
  });

  it('spreads jobs and attempts over the range', () => {
    const ports = new Set(Array.from({ length: 200 }, (_, i) => rendezvousPort(`job_${i}`, 1)));
    expect(ports.size).toBeGreaterThan(190);
    expect(rendezvousPort('job_a', 1)).not.toBe(rendezvousPort('job_a', 2));
  });
});

describe('hostOf', () => {
  it.each([
    ['gpu-1.cluster:50052', 'gpu-1.cluster'],
    ['10.0.0.7:50052', '10.0.0.7'],
    ['[fd00::7]:50052', 'fd00::7'],
    ['gpu-1', 'gpu-1'],
  ])('%s -> %s', (address, host) => {
    expect(hostOf(address)).toBe(host);
  });
});
