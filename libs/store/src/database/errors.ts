/** SQLSTATE codes the store reacts to. */
export const SqlState = {
  UniqueViolation: '23505',
  DuplicateSchema: '42P06',
} as const;

/** Whether an error from pg or PGlite carries the given SQLSTATE code. */
export function isPgError(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
