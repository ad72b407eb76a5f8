/**
 * OrderTimelines: for a failed run, the orders its broken checks name (the checkers list offending
 * ids after the last colon of their detail: "2 orders …: 17, 42 and 3 more") and each one's story
 * from the history — client answers, published events, service notes — in time order.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import type { CheckResult, OffendingOrder, TimelineEntry } from "./ReportModel.js"

/** Most orders a report tells the story of, and most lines per story. */
const maxOrders = 5
const maxLines = 60

/** The order ids a check's detail names: the integers of its list after the last ": ". */
export const orderIdsIn = (detail: string): ReadonlyArray<number> => {
  const colon = detail.lastIndexOf(": ")
  if (colon < 0) return []
  const list = /^\s*(\d+(?:\s*,\s*\d+)*)/.exec(detail.slice(colon + 2).split(" and ")[0]!)
  return list ? list[1]!.split(",").map((s) => Number(s.trim())) : []
}

const describe = (e: HistoryEntry): string | undefined => {
  switch (e.type) {
    case "ok":
    case "fail":
    case "info":
      return `client ${e.op}: ${e.type} ${e.status}${e.detail ? ` (${e.detail})` : ""} after ${e.latencyMs} ms`
    case "invoke":
      return `client ${e.op} sent`
    case "event":
      return `${e.kind} published by ${e.pod} on ${e.stream}`
    case "note": {
      const n = e.note
      if (n._tag === "PaymentCallFailed") return `${n.pod}: payment call failed (${n.reason})`
      if (n._tag === "OrderAbandoned") return `${n.pod}: order abandoned`
      return undefined
    }
    default:
      return undefined
  }
}

const orderOf = (e: HistoryEntry): number | undefined => {
  if (e.type === "event") return e.orderId
  if (e.type === "note") return "orderId" in e.note ? e.note.orderId : undefined
  if (e.type === "invoke" || e.type === "ok" || e.type === "fail" || e.type === "info") return e.orderId
  return undefined
}

export const offendingOrders = (
  checks: ReadonlyArray<CheckResult>,
  history: ReadonlyArray<HistoryEntry>
): ReadonlyArray<OffendingOrder> => {
  const named = new Map<number, Array<string>>()
  for (const c of checks) {
    if (c.ok || c.kind === "behaviour") continue
    for (const id of orderIdsIn(c.detail)) {
      if (!named.has(id) && named.size >= maxOrders) continue
      named.set(id, [...(named.get(id) ?? []), c.name])
    }
  }
  if (named.size === 0) return []
  const timelines = new Map<number, Array<TimelineEntry>>([...named.keys()].map((id) => [id, []]))
  for (const e of history) {
    const id = orderOf(e)
    const timeline = id === undefined ? undefined : timelines.get(id)
    if (!timeline || timeline.length >= maxLines) continue
    const what = describe(e)
    if (what !== undefined) timeline.push({ t: e.t, what })
  }
  return [...named].map(([orderId, names]) => ({ orderId, checks: names, timeline: timelines.get(orderId)! }))
}
