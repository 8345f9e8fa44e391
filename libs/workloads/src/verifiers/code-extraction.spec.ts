import { extractCode } from './code-extraction';

const fence = '```';

describe('extractCode', () => {
  it.each([
    [
      'a python block',
      `Here:\n${fence}python\ndef f():\n    return 1\n${fence}\nDone.`,
      'def f():\n    return 1',
    ],
    ['an untagged block', `${fence}\nx = 1\n${fence}`, 'x = 1'],
    [
      'py and python3 tags',
      `${fence}py\na = 1\n${fence}\n${fence}Python3\nb = 2\n${fence}`,
      'b = 2',
    ],
    [
      'the last of several',
      `${fence}python\nold = 1\n${fence}\nBetter:\n${fence}python\nnew = 2\n${fence}`,
      'new = 2',
    ],
    [
      'other languages skipped',
      `${fence}python\ncode = 1\n${fence}\nOutput:\n${fence}text\n1\n${fence}`,
      'code = 1',
    ],
    [
      'a longer fence holding a shorter one',
      `${'`'.repeat(4)}python\ns = """\n${fence}\n"""\n${'`'.repeat(4)}`,
      `s = """\n${fence}\n"""`,
    ],
    ['tilde fences', '~~~python\nt = 1\n~~~', 't = 1'],
    [
      'an indented fence (a list item)',
      `1. Code:\n   ${fence}python\n   def g():\n       pass\n   ${fence}`,
      'def g():\n    pass',
    ],
    [
      'a block cut off by truncation',
      `${fence}python\ndef h():\n    return`,
      'def h():\n    return',
    ],
    ['an empty block', `${fence}python\n${fence}`, ''],
    ['CRLF line ends', `${fence}python\r\nx = 1\r\n${fence}\r\n`, 'x = 1'],
  ])('%s', (_name, text, expected) => {
    expect(extractCode(text)).toBe(expected);
  });

  it('takes the whole text when there is no fenced block', () => {
    const text = 'def add(a, b):\n    return a + b\n';
    expect(extractCode(text)).toBe(text);
  });

  it('takes the whole text when only other languages are fenced', () => {
    const text = `Run:\n${fence}bash\npython x.py\n${fence}`;
    expect(extractCode(text)).toBe(text);
  });
});
