import { LineSplitter } from './line-splitter';

function split(chunks: string[], maxLength?: number, end = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLength);
  chunks.forEach((c) => splitter.write(c));
  if (end) splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('joins lines split across chunks and strips CR', () => {
    expect(split(['hel', 'lo\r\nwor', 'ld\n', '\n'])).toEqual(['hello', 'world', '']);
  });

  it('keeps a partial last line until end()', () => {
    expect(split(['a\nb'], undefined, false)).toEqual(['a']);
    expect(split(['a\nb'])).toEqual(['a', 'b']);
  });

  it('cuts runaway lines into pieces of the maximum length', () => {
    expect(split(['abcdefg', 'h\n'], 3)).toEqual(['abc', 'def', 'gh']);
    expect(split(['abcdefgh\n'], 3)).toEqual(['abc', 'def', 'gh']);
  });
});
