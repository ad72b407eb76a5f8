/**
 * SiegeFigures: the closing figures siege prints (Transactions, Availability, Elapsed time, Response
 * time, Transaction rate, Concurrency, Successful and Failed transactions, Longest and Shortest
 * transaction), computed from the history's POST /orders operations as siege computes them.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import type { SiegeFigures } from "./ReportModel.js"

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits

export const siegeFigures = (history: ReadonlyArray<HistoryEntry>): SiegeFigures => {
  let successful = 0
  let failed = 0
  let totalLatency = 0
  let longest = 0
  let shortest = Number.POSITIVE_INFINITY
  let first = Number.POSITIVE_INFINITY
  let last = 0
  for (const e of history) {
    if (e.type === "invoke" && e.op === "place") first = Math.min(first, e.t)
    if ((e.type !== "ok" && e.type !== "fail" && e.type !== "info") || e.op !== "place") continue
    if (e.type === "ok") successful++
    else failed++
    totalLatency += e.latencyMs
    longest = Math.max(longest, e.latencyMs)
    shortest = Math.min(shortest, e.latencyMs)
    last = Math.max(last, e.t)
  }
  const transactions = successful + failed
  const elapsedMs = transactions === 0 ? 0 : Math.max(0, last - first)
  return {
    transactions,
    availability: transactions === 0 ? 100 : round((100 * successful) / transactions, 2),
    elapsedSeconds: round(elapsedMs / 1000, 2),
    responseSeconds: transactions === 0 ? 0 : round(totalLatency / transactions / 1000, 3),
    transactionRate: elapsedMs === 0 ? 0 : round(transactions / (elapsedMs / 1000), 2),
    concurrency: elapsedMs === 0 ? 0 : round(totalLatency / elapsedMs, 2),
    successful,
    failed,
    longestSeconds: round(longest / 1000, 3),
    shortestSeconds: transactions === 0 ? 0 : round(shortest / 1000, 3)
  }
}
