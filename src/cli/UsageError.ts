/**
 * UsageError: bad usage or bad input on the command line. main prints its message as one line on
 * stderr and exits with code 2 — no stack trace.
 */
export class UsageError extends Error {
  override readonly name = "UsageError"
}

/** Parses a non-negative integer flag value, or throws a UsageError naming the flag. */
export const parseNonNegativeInt = (flag: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${flag} must be a non-negative integer, got "${value}"`)
  }
  return Number(value)
}
