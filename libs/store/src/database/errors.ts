/** SQLSTATE codes the store reacts to. */
export const SqlState = {
  UniqueViolation: '23505',
  DuplicateSchema: '42P06',
} as const;

/** Whether an error from pg or PGlite carries the given SQLSTATE code. */
export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!isPgError(error, SqlState.UniqueViolation)) return false;
  if (constraint === undefined) return true;
  const found = (error as { constraint?: unknown }).constraint;
  // PGlite does not always fill in the constraint name; fall back to the message.
  return found === constraint || (error instanceof Error && error.message.includes(constraint));
}
