/**
 * BreakerSeries: each circuit breaker's state over time (Closed, HalfOpen, Open), and the windows
 * in which one stood open, from the BreakerTransition notes of the history.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import type { BreakerSeries, Window } from "./ReportModel.js"

const stateCode: Record<string, number> = { Closed: 0, HalfOpen: 1, Open: 2 }

export const breakerStates = ["Closed", "HalfOpen", "Open"] as const

export const breakerSeries = (
  history: ReadonlyArray<HistoryEntry>,
  endMs: number
): { readonly breakers: ReadonlyArray<BreakerSeries>; readonly openWindows: ReadonlyArray<Window> } => {
  const byName = new Map<string, { states: Array<[number, number]>; openings: number; openedAt?: number }>()
  const openWindows: Array<Window> = []
  for (const e of history) {
    if (e.type !== "note" || e.note._tag !== "BreakerTransition") continue
    const name = `${e.note.pod} ${e.note.breaker}`
    let b = byName.get(name)
    if (!b) byName.set(name, b = { states: [[0, stateCode[e.note.from] ?? 0]], openings: 0 })
    b.states.push([e.t, stateCode[e.note.to] ?? 0])
    if (e.note.to === "Open") {
      b.openings++
      b.openedAt = e.t
    } else if (b.openedAt !== undefined) {
      openWindows.push({ label: `${name} open`, startMs: b.openedAt, endMs: e.t })
      b.openedAt = undefined
    }
  }
  const breakers: Array<BreakerSeries> = []
  for (const [name, b] of byName) {
    if (b.openedAt !== undefined) openWindows.push({ label: `${name} open`, startMs: b.openedAt, endMs })
    const last = b.states[b.states.length - 1]!
    breakers.push({ name, states: [...b.states, [endMs, last[1]]], openings: b.openings })
  }
  openWindows.sort((a, b) => a.startMs - b.startMs)
  return { breakers, openWindows }
}
