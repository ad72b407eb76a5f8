/**
 * `starcoffee suite [--seed N] [--jobs N] [--json]`: every scenario of the catalogue from one seed,
 * run in parallel worker threads, with a summary line each printed in catalogue order as soon as it
 * and every scenario before it have finished, and a live progress line on a terminal; writes the
 * suite's report (an index of every run, each run's own report beside it) to --out, by default
 * reports/suite-<seed>/. What `npm start` runs. Exits with the most severe failure class among the scenarios (chaos/RunResult.ts).
 */
import { availableParallelism } from "node:os"
import { join } from "node:path"
import type { Scenario } from "../../chaos/Scenario.js"
import type { Parsed } from "../Args.js"
import { runJson, type TimedResult } from "../Format.js"
import { exitCodeOf, worstClass } from "../../chaos/RunResult.js"
import { catalogueFile, catalogueNames } from "../../chaos/scenario/Catalogue.js"
import { loadScenarioFile, resolveJobs } from "../Resolve.js"
import { parseNonNegativeInt, UsageError } from "../UsageError.js"

const summaryLine = (r: TimedResult, width: number): Array<string> => {
  const m = r.metrics
  const broken = r.invariants.filter((i) => !i.ok)
  return [
    `${r.ok ? "PASS" : "FAIL"}  ${r.scenario.padEnd(width)} ${String(m.transactions).padStart(6)} orders  ` +
    `${(m.availability * 100).toFixed(1).padStart(5)} % accepted  p95 ${String(m.p95Ms).padStart(4)} ms  ` +
    `${r.invariants.length - broken.length}/${r.invariants.length} checks  ` +
    `${(r.simulatedMs / 1000).toFixed(0)} s simulated in ${(r.wallMs / 1000).toFixed(1)} s`,
    ...broken.map((b) => `      ✗ ${b.kind} ${b.name}: ${b.detail}`)
  ]
}

/** A one-line status redrawn in place on a terminal: scenarios done, those running and their progress. */
const liveStatus = (names: ReadonlyArray<string>, enabled: boolean) => {
  const percent = new Map<number, number>()
  let done = 0
  let shown = false
  const started = performance.now()
  const draw = () => {
    if (!enabled) return
    const running = [...percent].map(([i, p]) => `${names[i]} ${p}%`).join(", ")
    const elapsed = ((performance.now() - started) / 1000).toFixed(0)
    const line = `[${done}/${names.length} done, ${elapsed} s] ${running}`
    process.stdout.write(`\r\x1b[2K${line.slice(0, (process.stdout.columns ?? 100) - 1)}`)
    shown = true
  }
  const timer = enabled ? setInterval(draw, 250) : undefined
  return {
    progress: (i: number, t: number, planned: number) => percent.set(i, Math.min(99, Math.floor((100 * t) / Math.max(1, planned)))),
    finished: (i: number) => {
      percent.delete(i)
      done++
    },
    /** Prints lines above the status line. */
    print: (lines: ReadonlyArray<string>) => {
      if (shown) process.stdout.write("\r\x1b[2K")
      for (const line of lines) console.log(line)
      draw()
    },
    stop: () => {
      if (timer) clearInterval(timer)
      if (shown) process.stdout.write("\r\x1b[2K")
    }
  }
}

/** `--only a,b`: those scenarios in catalogue order, or a UsageError naming an unknown one. */
const selectScenarios = (all: ReadonlyArray<string>, only: unknown): ReadonlyArray<string> => {
  if (typeof only !== "string") return all
  const wanted = only.split(",").map((n) => n.trim()).filter(Boolean)
  const unknown = wanted.find((n) => !all.includes(n))
  if (unknown !== undefined) throw new UsageError(`--only: unknown scenario "${unknown}"; one of: ${all.join(", ")}`)
  if (wanted.length === 0) throw new UsageError("--only needs at least one scenario name")
  return all.filter((n) => wanted.includes(n))
}

/**
 * Task indices, the most expensive scenario first (requests the siege will send, roughly), so the
 * longest runs do not start last and leave the other workers idle.
 */
const longestFirst = (scenarios: ReadonlyArray<Scenario>): Array<number> => {
  const cost = (s: Scenario) => {
    const w = s.workload ?? {}
    return ((w.users ?? 100) * (w.durationMillis ?? 60_000)) / ((w.thinkMillis ?? 0) / 2 + 200)
  }
  return scenarios.map((s, i) => [cost(s), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(([, i]) => i)
}

export const suiteCommand = async ({ values }: Parsed): Promise<number> => {
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  const jobs = resolveJobs(values.jobs, availableParallelism())
  const names = selectScenarios(catalogueNames(), values.only)
  const scenarios = await Promise.all(names.map((name) => loadScenarioFile(catalogueFile(name))))
  const { runInPool } = await import("../ScenarioPool.js")
  const width = Math.max(...names.map((n) => n.length))
  const json = values.json === true
  if (!json) console.log(`starcoffee suite: ${names.length} scenarios, seed ${seed}, ${jobs} job${jobs === 1 ? "" : "s"}, simulated world\n`)
  const status = liveStatus(names, !json && Boolean(process.stdout.isTTY))
  const finished: Array<TimedResult | undefined> = []
  let next = 0
  const started = performance.now()
  const { defaultSuiteDir } = await import("../../report/ReportPaths.js")
  const { suiteRunDir, writeSuiteIndex } = await import("../../report/WriteReports.js")
  const reportDir = typeof values.out === "string" ? values.out : defaultSuiteDir(seed)
  const results = await runInPool(scenarios.map((scenario) => ({ scenario, seed, reportDir: suiteRunDir(reportDir, scenario.name) })), jobs, {
    submitOrder: longestFirst(scenarios),
    onProgress: status.progress,
    onResult: (index, result) => {
      finished[index] = result
      status.finished(index)
      const lines: Array<string> = []
      for (; next < names.length && finished[next]; next++) {
        const r = finished[next]!
        if (json) console.log(JSON.stringify(runJson(r)))
        else lines.push(...summaryLine(r, width))
      }
      if (lines.length > 0) status.print(lines)
    }
  }).finally(status.stop)
  const wallMs = Math.round(performance.now() - started)
  const indexStarted = performance.now()
  writeSuiteIndex(reportDir, results.map((r) => r.report!), { seed, jobs, wallMs })
  const indexMs = Math.round(performance.now() - indexStarted)
  const failed = results.filter((r) => !r.ok).length
  if (!json) {
    console.log(`\n${names.length - failed} passed, ${failed} failed in ${(wallMs / 1000).toFixed(1)} s wall (${jobs} job${jobs === 1 ? "" : "s"})`)
    const runsMs = results.reduce((n, r) => n + (r.reportMs ?? 0), 0)
    console.log(`report: ${join(reportDir, "index.html")} (each run's report written in its worker: ${runsMs} ms in all; the index in ${indexMs} ms)`)
  }
  return exitCodeOf[worstClass(results.map((r) => r.failureClass))]
}
