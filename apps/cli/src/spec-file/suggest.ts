import { type MessageShape } from './shapes';

/** `unknown field "inputs" (did you mean "input"?)`: a near miss among the message's fields. */
export function unknownFieldMessage(key: string, shape: MessageShape): string {
  const suggestion = suggestField(key, shape);
  return `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

/**
 * The field a misspelled key most likely meant: its snake_case spelling (`maxTokens`), the same
 * field without a unit suffix (`time_limit_seconds` -> `time_limit`,
 * `gpu_secs` -> `gpu_seconds`), a field one level down
 * (`gpus` -> `resources.gpus`), or a name at most two edits away (one for short names).
 */
export function suggestField(key: string, shape: MessageShape): string | undefined {
  const names = [
    ...Object.keys(shape.fields),
    ...shape.oneofs.flatMap((o) =>
      Object.entries(o.members)
        .filter(([, s]) => s.kind !== 'refused')
        .map(([name]) => name),
    ),
  ];
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/-/g, '_');
  if (snake !== key && names.includes(snake)) return snake;
  const stem = snake.replace(/_(seconds|secs|sec|s)$/, '');
  if (stem !== snake)
    for (const candidate of [stem, `${stem}_seconds`])
      if (candidate !== snake && names.includes(candidate)) return candidate;
  for (const [name, field] of Object.entries(shape.fields))
    if (field.kind === 'message' && snake in field.fields) return `${name}.${snake}`;
  const limit = snake.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(snake, name);
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Edit distance counting a swap of two neighbours as one edit (`nmae` -> `name`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
