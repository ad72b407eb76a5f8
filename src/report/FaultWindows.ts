/**
 * FaultWindows: when each fault of a run was in force, from the fault starts and ends of the
 * history (a start is paired with the next end of the same fault; one never ended lasts to the end
 * of the run), and the faults that found no target and did nothing.
 */
import type { HistoryEntry } from "../chaos/history/History.js"
import type { Window } from "./ReportModel.js"

export const faultWindows = (
  history: ReadonlyArray<HistoryEntry>,
  endMs: number
): { readonly windows: ReadonlyArray<Window>; readonly skipped: ReadonlyArray<{ readonly t: number; readonly label: string }> } => {
  const open = new Map<string, Array<{ readonly t: number; readonly label: string }>>()
  const windows: Array<Window> = []
  const skipped: Array<{ t: number; label: string }> = []
  for (const e of history) {
    if (e.type !== "fault") continue
    const target = "target" in e && typeof e.target === "string" ? ` (${e.target})` : ""
    const phase: string = e.phase
    if (phase === "start") {
      const starts = open.get(e.fault) ?? []
      starts.push({ t: e.t, label: `${e.fault}${target}` })
      open.set(e.fault, starts)
    } else if (phase === "end") {
      const start = open.get(e.fault)?.shift()
      if (start) windows.push({ label: start.label, startMs: start.t, endMs: e.t })
    } else {
      skipped.push({ t: e.t, label: `${e.fault}${target}` })
    }
  }
  for (const starts of open.values()) for (const s of starts) windows.push({ label: s.label, startMs: s.t, endMs })
  windows.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs)
  return { windows, skipped }
}
