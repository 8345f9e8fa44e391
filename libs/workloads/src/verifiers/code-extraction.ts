// Where a completion's program is, for the unit-tests verifier.

const OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w+#.-]*)[^\n`]*$/;
const PYTHON = new Set(['', 'python', 'python3', 'py', 'py3']);

/**
 * The candidate's Python code: the content of its last fenced code block tagged `python` (or
 * `py`, `python3`) or untagged, with the fence's indentation removed; blocks in other languages
 * are skipped. A block left open by a truncated completion runs to the end of the text. With
 * no such block, the whole text is the code.
 */
export function extractCode(text: string): string {
  const lines = text.split(/\r?\n/);
  let last: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, language] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (isClosing(line, fence)) break;
      body.push(dedent(line, indent.length));
    }
    if (PYTHON.has(language.toLowerCase())) last = body.join('\n');
    i = j; // past the closing fence
  }
  return last ?? text;
}

/** A closing fence: the opening fence's character, at least as many, and nothing else. */
function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && [...trimmed].every((c) => c === fence[0]);
}

function dedent(line: string, width: number): string {
  let cut = 0;
  while (cut < width && line[cut] === ' ') cut++;
  return line.slice(cut);
}
