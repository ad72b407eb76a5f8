/**
 * ExploreFlags: the values of explore's --time-budget and --shard, or a UsageError of one line
 * naming the flag and what it expects.
 */
import type { Shard } from "../chaos/explore/SampleSpace.js"
import { UsageError } from "./UsageError.js"

const unitMillis = { s: 1_000, m: 60_000, h: 3_600_000 } as const

/** `--time-budget 30s | 5m | 1h` (a whole number and a unit) in milliseconds. */
export const parseTimeBudget = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  const match = /^(\d{1,7})(s|m|h)$/.exec(value)
  const millis = match ? Number(match[1]) * unitMillis[match[2] as keyof typeof unitMillis] : 0
  if (millis <= 0) throw new UsageError(`--time-budget must be a positive duration such as 30s, 5m or 1h, got "${value}"`)
  return millis
}

/** `--shard i/n`: the i-th of n disjoint parts of the sample space, 1 ≤ i ≤ n ≤ 100000. */
export const parseShard = (value: string | undefined): Shard => {
  if (value === undefined) return { index: 1, count: 1 }
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(value)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || index < 1 || count > 100_000 || index > count) {
    throw new UsageError(`--shard must be i/n with 1 ≤ i ≤ n ≤ 100000 (e.g. 2/4), got "${value}"`)
  }
  return { index, count }
}

/** A budget as the user would write it back: 90s, 5m, 1h. */
export const formatBudget = (millis: number): string =>
  millis % 3_600_000 === 0 ? `${millis / 3_600_000}h` : millis % 60_000 === 0 ? `${millis / 60_000}m` : `${millis / 1000}s`
