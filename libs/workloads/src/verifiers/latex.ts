// Small LaTeX reading helpers shared by answer extraction and normalisation.

/**
 * The content of the brace group that opens at `text[open]` (which must be `{`), honouring
 * nested braces and `\{` / `\}` escapes, and the index just past its closing brace; null when
 * the group never closes (a truncated completion).
 */
export function readBraceGroup(
  text: string,
  open: number,
): { readonly content: string; readonly end: number } | null {
  if (text[open] !== '{') return null;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++; // an escaped character, `\{` included, never opens or closes a group
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { content: text.slice(open + 1, i), end: i + 1 };
  }
  return null;
}

/**
 * Replaces every `\<command>{X}` (for the given command names) with `replace(X)`, nested
 * braces included, from the innermost outwards; an unclosed group is left as it is.
 */
export function replaceCommand(
  text: string,
  commands: readonly string[],
  replace: (content: string) => string,
): string {
  const pattern = new RegExp(`\\\\(?:${commands.join('|')})\\s*(?=\\{)`, 'g');
  let out = text;
  for (;;) {
    const matches = [...out.matchAll(pattern)];
    const last = matches.at(-1);
    if (!last) return out;
    const group = readBraceGroup(out, last.index + last[0].length);
    if (!group) return out;
    out = out.slice(0, last.index) + replace(group.content) + out.slice(group.end);
  }
}
