/** Picking one answer from a step's items: majority vote, best score, and an item's answer. */
import type { ExtractAnswer } from '../common/verdict';
import type { StepItem } from './item-stream';

/**
 * The most frequent final answer among the items (by `extract`; items with none are left out),
 * ties going to the answer that appeared earliest, with the first item that gave it; null when
 * no item has a final answer.
 */
export function majorityAnswer(
  items: readonly StepItem[],
  extract: ExtractAnswer,
): { readonly answer: string; readonly item: StepItem; readonly votes: number } | null {
  const groups = new Map<string, { votes: number; item: StepItem }>();
  for (const item of [...items].sort((a, b) => a.index - b.index)) {
    const answer = extract(item.text);
    if (answer === null) continue;
    const group = groups.get(answer);
    if (group) group.votes++;
    else groups.set(answer, { votes: 1, item });
  }
  let best: { answer: string; item: StepItem; votes: number } | null = null;
  for (const [answer, group] of groups)
    if (!best || group.votes > best.votes) best = { answer, ...group };
  return best;
}

/** The item with the highest verdict score, ties going to the earliest; null when none is judged. */
export function bestScored(items: readonly StepItem[]): StepItem | null {
  let best: StepItem | null = null;
  for (const item of [...items].sort((a, b) => a.index - b.index)) {
    if (!item.verdict) continue;
    if (!best || item.verdict.score > best.verdict!.score) best = item;
  }
  return best;
}

/** An item's final answer: the verifier's extraction, else `extract`, else its whole text. */
export function answerOf(item: StepItem, extract: ExtractAnswer): string {
  return item.verdict?.extracted ?? extract(item.text) ?? item.text;
}
