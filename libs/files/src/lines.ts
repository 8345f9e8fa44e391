/**
 * Reads an object as text lines, without holding it in memory: the chunks are decoded as UTF-8
 * and split on "\n" ("\r\n" too). The last line is yielded even without a newline, flagged, so a
 * reader of a file still being appended to can tell a torn last line from a whole one.
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<{ readonly line: string; readonly complete: boolean }> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  for await (const chunk of chunks) {
    rest += decoder.decode(chunk, { stream: true });
    let newline = rest.indexOf('\n');
    while (newline >= 0) {
      const line = rest.slice(0, newline);
      yield { line: line.endsWith('\r') ? line.slice(0, -1) : line, complete: true };
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest !== '') yield { line: rest, complete: false };
}

/** The whole lines of an object (a torn last line, without its newline, is left out). */
export async function* completeLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  for await (const { line, complete } of readLines(chunks)) if (complete) yield line;
}
