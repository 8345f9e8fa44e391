/**
 * The checkpoint protocol of `process` tasks. A task that has saved its state (so that work
 * before it survives a preemption) says so by writing a line to stdout:
 *
 *     GANTRY_CHECKPOINT [message]
 *
 * where `message` is optional free text for people, e.g. `GANTRY_CHECKPOINT step 5000 saved to
 * /ckpt/5000`. Such a line becomes a `checkpoint` event sent after it, and unlike a progress
 * line it stays in the task's log too (checkpoints are rare and worth seeing there). The prefix
 * must be the whole first word: `GANTRY_CHECKPOINTS` or ` GANTRY_CHECKPOINT` are ordinary lines.
 */
export const CHECKPOINT_PREFIX = 'GANTRY_CHECKPOINT';

/** The longest checkpoint message kept (RecordCheckpoint's limit); longer ones are cut. */
export const MAX_CHECKPOINT_MESSAGE_LENGTH = 1024;

export interface CheckpointReport {
  readonly message: string;
}

const CHECKPOINT_LINE = /^GANTRY_CHECKPOINT(?:[ \t]+(.*))?$/;

/** The checkpoint a stdout line reports, or undefined when it is an ordinary line. */
export function parseCheckpointLine(line: string): CheckpointReport | undefined {
  if (!line.startsWith(CHECKPOINT_PREFIX)) return undefined;
  const match = CHECKPOINT_LINE.exec(line.trimEnd());
  if (!match) return undefined;
  const message = (match[1] ?? '').trim().slice(0, MAX_CHECKPOINT_MESSAGE_LENGTH);
  return { message };
}
