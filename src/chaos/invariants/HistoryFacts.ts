/**
 * HistoryFacts: small readings of a run's history the order checkers share — which service a pod
 * belongs to, an event id's kind and order, and a verdict in the checkers' wording. Pure.
 */
import { type InvariantResult, sampleIds } from "./RunTruth.js"

/** The service of a pod address ("order-12" → "order"). */
export const serviceOf = (pod: string): string => pod.slice(0, pod.lastIndexOf("-"))

/** An event id's kind and order ("PaymentApproved:17"), or undefined for a foreign id. */
export const parseEventId = (eventId: string): { readonly kind: string; readonly orderId: number } | undefined => {
  const colon = eventId.indexOf(":")
  if (colon < 0) return undefined
  const orderId = Number(eventId.slice(colon + 1))
  return Number.isInteger(orderId) ? { kind: eventId.slice(0, colon), orderId } : undefined
}

/** A safety verdict over offending orders: "N orders <what>: ids", or `fine`. */
export const orderVerdict = (
  name: string,
  offenders: Iterable<number>,
  what: string,
  fine: string
): InvariantResult => {
  const ids = [...new Set(offenders)].sort((a, b) => a - b)
  return {
    name,
    kind: "safety",
    ok: ids.length === 0,
    detail: ids.length === 0 ? fine : `${ids.length} orders ${what}: ${sampleIds(ids)}`
  }
}

/** A check that could not be judged from this run's history (nothing to judge, or facts not recorded). */
export const notJudged = (name: string, kind: InvariantResult["kind"], why: string): InvariantResult => ({
  name,
  kind,
  ok: true,
  detail: `not judged: ${why}`
})
