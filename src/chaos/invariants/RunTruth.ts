/**
 * RunTruth: everything a checker may look at after a run, gathered from outside the system — the
 * history (what clients were told, what events were published) and each service's own database
 * and the broker's state. Checkers are pure functions of it, kept apart from the system
 * (TigerBeetle's checkers model).
 */
import type { HistoryEntry } from "../history/History.js"

export interface OrderTruth {
  readonly orderId: number
  readonly status: string
  readonly price: number
}
export interface PaymentTruth {
  readonly orderId: number
  readonly amount: number
  readonly status: string
  readonly refunds: number
}
export interface MakeTruth {
  readonly orderId: number
  readonly status: string
  readonly brews: number
}
export interface MypageTruth {
  readonly orderId: number
  readonly status: string
}

export interface RunTruth {
  readonly history: ReadonlyArray<HistoryEntry>
  readonly orders: ReadonlyArray<OrderTruth>
  readonly payments: ReadonlyArray<PaymentTruth>
  readonly makes: ReadonlyArray<MakeTruth>
  readonly mypages: ReadonlyArray<MypageTruth>
  /** Outbox rows not yet published, per service. */
  readonly outboxBacklog: Readonly<Record<string, number>>
  /** Broker entries delivered but not acknowledged, and not yet delivered, over all groups. */
  readonly brokerPending: number
  readonly brokerLag: number
  readonly deadLetters: number
  /**
   * The history's order is the order things happened in (a simulated world records each entry in the
   * step that made it). Absent or false: entries may be recorded late (a live world tails the bus),
   * so checkers of the order of events do not judge it. Default: false.
   */
  readonly exactOrder?: boolean
}

export interface InvariantResult {
  readonly name: string
  readonly kind: "safety" | "liveness" | "behaviour"
  readonly ok: boolean
  readonly detail: string
}

/** Facts derived once from a truth, shared by the checkers. */
export interface TruthIndex {
  /** Distinct published event kinds per order. */
  readonly eventsByOrder: ReadonlyMap<number, ReadonlySet<string>>
  /** Orders a client was told were accepted (201). */
  readonly accepted: ReadonlySet<number>
  /** Orders a client was told failed (a definite error answer to place). */
  readonly toldFailed: ReadonlySet<number>
}

export const indexTruth = (truth: RunTruth): TruthIndex => {
  const eventsByOrder = new Map<number, Set<string>>()
  const accepted = new Set<number>()
  const toldFailed = new Set<number>()
  for (const entry of truth.history) {
    if (entry.type === "event") {
      let kinds = eventsByOrder.get(entry.orderId)
      if (!kinds) eventsByOrder.set(entry.orderId, kinds = new Set())
      kinds.add(entry.kind)
    } else if (entry.type === "ok" && entry.op === "place" && entry.orderId !== undefined) {
      accepted.add(entry.orderId)
    }
  }
  // An order told "failed" carries its id in the 503 detail only through the order service's notes:
  // the order service records a PaymentCallFailed note for the order it rejected.
  for (const entry of truth.history) {
    if (entry.type === "note" && entry.note._tag === "PaymentCallFailed") toldFailed.add(entry.note.orderId)
  }
  return { eventsByOrder, accepted, toldFailed }
}

/** A short list of order ids for a checker's detail: the first five and how many more. */
export const sampleIds = (ids: ReadonlyArray<number>): string =>
  ids.length <= 5 ? ids.join(", ") : `${ids.slice(0, 5).join(", ")} and ${ids.length - 5} more`
