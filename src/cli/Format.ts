/**
 * Human-readable output of run results: the invariants as a checklist and siege-style figures; and
 * the JSON object `run --json` prints.
 */
import type { RunResult } from "../chaos/RunResult.js"

export interface TimedResult extends RunResult {
  readonly wallMs: number
}

const mark = (ok: boolean) => (ok ? "✓" : "✗")

const verdict = (r: RunResult) => (r.ok ? "PASS" : `FAIL (${r.failureClass})`)

export const formatRun = (r: TimedResult): string => {
  const m = r.metrics
  const lines = [
    `${verdict(r)}  ${r.scenario}  (mode ${r.mode}, seed ${r.seed}${r.mutants.length ? `, mutants ${r.mutants.join(",")}` : ""})`,
    `      ${(r.simulatedMs / 1000).toFixed(1)} s ${r.mode === "sim" ? "simulated" : "of real time"} in ${(r.wallMs / 1000).toFixed(1)} s wall; trace ${r.traceHash.slice(0, 16)}${r.reproducible ? "" : " (not byte-reproducible)"}`,
    "",
    ...r.invariants.map((i) => `  ${mark(i.ok)} ${i.kind.padEnd(9)} ${i.name}: ${i.detail}`),
    "",
    `  Transactions: ${m.transactions}  successful: ${m.successful}  failed: ${m.failed}  availability: ${(m.availability * 100).toFixed(2)} %`,
    `  Response time (POST /orders): p50 ${m.p50Ms} ms  p95 ${m.p95Ms} ms  p99 ${m.p99Ms} ms  max ${m.maxMs} ms`,
    `  Coffees made: ${m.coffeesMade}  refunds: ${m.refunds}  breaker opened: ${m.breakerOpened}  fail-fast: ${m.failFast}  dead letters: ${m.deadLetters}`
  ]
  return lines.join("\n")
}

/** The JSON object `run --json` prints (DESIGN.md §7). */
export const runJson = (r: TimedResult) => ({
  scenario: r.scenario,
  mode: r.mode,
  seed: r.seed,
  ok: r.ok,
  failureClass: r.failureClass,
  reproducible: r.reproducible,
  traceHash: r.traceHash,
  simulatedMs: r.simulatedMs,
  wallMs: r.wallMs,
  mutants: r.mutants,
  invariants: r.invariants.map(({ detail, kind, name, ok }) => ({ name, kind, ok, detail })),
  metrics: r.metrics
})
