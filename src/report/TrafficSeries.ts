/**
 * TrafficSeries: POST /orders as the clients saw it, per time bucket of the history — answers per
 * second (accepted, refused, unknown outcome) and response-time percentiles — so a chart of a
 * 60-second siege holds a few hundred numbers, not its 50,000 history lines.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import type { TrafficSeries } from "./ReportModel.js"

/** Buckets of whole seconds, at most about 300 of them on the axis. */
export const bucketMillisFor = (endMs: number): number => Math.max(1, Math.ceil(endMs / 300_000)) * 1_000

const percentile = (sorted: ReadonlyArray<number>, p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!

export const trafficSeries = (history: ReadonlyArray<HistoryEntry>, endMs: number): TrafficSeries => {
  const bucketMs = bucketMillisFor(endMs)
  const n = Math.max(1, Math.ceil(endMs / bucketMs))
  const ok = new Array<number>(n).fill(0)
  const fail = new Array<number>(n).fill(0)
  const info = new Array<number>(n).fill(0)
  const latencies: Array<Array<number>> = Array.from({ length: n }, () => [])
  for (const e of history) {
    if ((e.type !== "ok" && e.type !== "fail" && e.type !== "info") || e.op !== "place") continue
    const i = Math.min(n - 1, Math.floor(e.t / bucketMs))
    if (e.type === "ok") ok[i]!++
    else if (e.type === "fail") fail[i]!++
    else info[i]!++
    latencies[i]!.push(e.latencyMs)
  }
  const perSecond = (counts: Array<number>) => counts.map((c) => Math.round((c * 1000 * 100) / bucketMs) / 100)
  for (const l of latencies) l.sort((a, b) => a - b)
  return {
    bucketMs,
    t: Array.from({ length: n }, (_, i) => i * bucketMs),
    ok: perSecond(ok),
    fail: perSecond(fail),
    info: perSecond(info),
    p50: latencies.map((l) => percentile(l, 50)),
    p95: latencies.map((l) => percentile(l, 95)),
    p99: latencies.map((l) => percentile(l, 99))
  }
}
