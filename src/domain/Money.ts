/**
 * Money in integer minor units (won, cents): no floating point ever touches an amount.
 */
import { Schema } from "effect"

export const Money = Schema.Int.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(100_000_000), Schema.brand("Money"))
export type Money = typeof Money.Type

export const money = (minorUnits: number): Money => Money.make(minorUnits)
