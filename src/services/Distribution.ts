/**
 * Latency distributions for simulated work and links, drawn from Effect's Random (seeded by the world).
 */
import { Effect, Random, Schema } from "effect"

export const Distribution = Schema.Union(
  Schema.TaggedStruct("Constant", { millis: Schema.Number.pipe(Schema.nonNegative()) }),
  Schema.TaggedStruct("Uniform", {
    minMillis: Schema.Number.pipe(Schema.nonNegative()),
    maxMillis: Schema.Number.pipe(Schema.nonNegative())
  })
)
export type Distribution = typeof Distribution.Type

export const constant = (millis: number): Distribution => ({ _tag: "Constant", millis })
export const uniform = (minMillis: number, maxMillis: number): Distribution => ({ _tag: "Uniform", minMillis, maxMillis })

/** Draws one duration in whole milliseconds. */
export const sample = (d: Distribution): Effect.Effect<number> => {
  switch (d._tag) {
    case "Constant":
      return Effect.succeed(d.millis)
    case "Uniform":
      return d.maxMillis <= d.minMillis
        ? Effect.succeed(d.minMillis)
        : Random.nextIntBetween(Math.floor(d.minMillis), Math.floor(d.maxMillis) + 1)
  }
}

export const describe = (d: Distribution): string =>
  d._tag === "Constant" ? `${d.millis} ms` : `${d.minMillis}–${d.maxMillis} ms`
