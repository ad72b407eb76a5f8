/**
 * Faults: the broker's fault switches and the BrokerControl interface the world / chaos layer uses.
 *
 * Models: broker outage (every operation fails with BusUnavailable, blocked reads fail too, nothing
 * stored is lost); slow delivery (a published entry becomes readable only after a delay drawn from
 * Effect's Random, uniform integer milliseconds in [minMillis, maxMillis]); duplicate delivery (with
 * probability p, drawn from Effect's Random, an XACK is lost so the entry stays pending and is
 * redelivered by XAUTOCLAIM; at most once per entry and group).
 */
import { Effect, Random } from "effect"

/** Uniform integer delay in [minMillis, maxMillis] (inclusive), drawn per published entry. */
export interface DeliveryDelay {
  readonly minMillis: number
  readonly maxMillis: number
}

export interface FaultSettings {
  readonly outage: boolean
  readonly deliveryDelay: DeliveryDelay | null
  readonly duplicateProbability: number
}

export interface BrokerControl {
  /** Broker outage on/off. Turning it on fails every operation and wakes blocked reads (they fail). */
  readonly setOutage: (down: boolean) => Effect.Effect<void>
  /** Slow delivery for entries published from now on; null turns it off. Already stored entries keep theirs. */
  readonly setDeliveryDelay: (delay: DeliveryDelay | null) => Effect.Effect<void>
  /** Probability in [0, 1] that an XACK of a pending entry is lost (entry redelivered once more). */
  readonly setDuplicateProbability: (p: number) => Effect.Effect<void>
  readonly settings: Effect.Effect<FaultSettings>
}

/** Mutable fault state shared by the broker's operations. */
export class FaultState {
  outage = false
  deliveryDelay: DeliveryDelay | null = null
  duplicateProbability = 0

  snapshot(): FaultSettings {
    return {
      outage: this.outage,
      deliveryDelay: this.deliveryDelay,
      duplicateProbability: this.duplicateProbability
    }
  }
}

/** A description of what is wrong with `delay`, or undefined when it is valid. */
export const invalidDelay = (delay: DeliveryDelay | null): string | undefined => {
  if (delay === null) return undefined
  const { maxMillis, minMillis } = delay
  if (!Number.isFinite(minMillis) || !Number.isFinite(maxMillis) || minMillis < 0 || maxMillis < minMillis) {
    return `invalid delivery delay { minMillis: ${minMillis}, maxMillis: ${maxMillis} }`
  }
  return undefined
}

export const invalidProbability = (p: number): string | undefined =>
  Number.isFinite(p) && p >= 0 && p <= 1 ? undefined : `invalid duplicate probability ${p}`

/**
 * Draws one delivery delay from Effect's Random. Integral bounds give a uniform integer in
 * [min, max]; a degenerate range draws nothing.
 */
export const drawDelay = (delay: DeliveryDelay): Effect.Effect<number> => {
  const min = Math.ceil(delay.minMillis)
  const max = Math.floor(delay.maxMillis)
  if (max <= min) return Effect.succeed(delay.minMillis)
  return Random.nextIntBetween(min, max + 1)
}
