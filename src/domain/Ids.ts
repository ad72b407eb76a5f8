/**
 * Branded identifiers of the saga's aggregates and events. Pure: schemas and constructors only.
 */
import { Schema } from "effect"

/** An order's id, assigned by the order service (a positive integer, as in the seed). */
export const OrderId = Schema.Int.pipe(Schema.positive(), Schema.brand("OrderId"))
export type OrderId = typeof OrderId.Type

/** A menu item's id. */
export const MenuId = Schema.Int.pipe(Schema.positive(), Schema.brand("MenuId"))
export type MenuId = typeof MenuId.Type

/** An event's id: unique per (kind, aggregate), so a re-published event is recognised as the same one. */
export const EventId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type

/** Parses an order id from a path segment ("17"), for route params. */
export const OrderIdFromString = Schema.compose(Schema.NumberFromString, OrderId)
