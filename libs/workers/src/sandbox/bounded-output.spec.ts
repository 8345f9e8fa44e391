import { BoundedOutput } from './bounded-output';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('BoundedOutput', () => {
  it('keeps everything up to the limit, in order, across chunks', () => {
    const output = new BoundedOutput(10);
    for (const chunk of ['abc', 'defg', 'hij']) output.write(bytes(chunk));
    expect(output.text()).toBe('abcdefghij');
    expect(output.truncated).toBe(false);
    expect(output.totalBytes).toBe(10);
  });

  it('keeps the first and the last half of the limit beyond it, and says how much it left out', () => {
    const output = new BoundedOutput(10);
    for (const chunk of ['01234', '56789', 'abcde', 'fghij', 'k']) output.write(bytes(chunk));
    expect(output.truncated).toBe(true);
    expect(output.totalBytes).toBe(21);
    expect(output.text()).toBe('01234\n[... 11 bytes omitted ...]\nghijk');
  });

  it('cuts inside one big chunk too', () => {
    const output = new BoundedOutput(4);
    output.write(bytes('abcdefgh'));
    expect(output.text()).toBe('ab\n[... 4 bytes omitted ...]\ngh');
  });

  it('stays bounded however much is written', () => {
    const output = new BoundedOutput(1024);
    for (let i = 0; i < 10_000; i++) output.write(Buffer.alloc(100, i % 10 === 9 ? 'x' : 'y'));
    const text = output.text();
    expect(text.length).toBeLessThan(1024 + 50);
    expect(text.endsWith('x'.repeat(100))).toBe(true);
    expect(output.totalBytes).toBe(1_000_000);
  });

  it('reads empty output as empty', () => {
    expect(new BoundedOutput(8).text()).toBe('');
  });
});
