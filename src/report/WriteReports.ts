/**
 * WriteReports: writes reports to disk — a run's four files (index.html, summary.md, result.json,
 * junit.xml); a suite's index, summary, JUnit and results with each run's report in its own folder;
 * an exploration's page and summary with its counterexample's run report. Each answers the files it
 * wrote and their sizes.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type ExploreSummary, exploreMarkdown, explorePage } from "./ExplorePage.js"
import { junitXml } from "./JUnit.js"
import type { RunReport } from "./ReportModel.js"
import { runMarkdown } from "./RunMarkdown.js"
import { folderName } from "./ReportPaths.js"
import { runPage } from "./RunPage.js"
import { type SuiteInfo, suiteMarkdown, suitePage } from "./SuitePage.js"

export interface Written {
  readonly dir: string
  /** File name → bytes. */
  readonly files: Readonly<Record<string, number>>
  /** Charts on the run's page (runs only). */
  readonly charts?: number
}

const write = (dir: string, files: Record<string, string>): Record<string, number> => {
  mkdirSync(dir, { recursive: true })
  const sizes: Record<string, number> = {}
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text)
    sizes[name] = Buffer.byteLength(text)
  }
  return sizes
}

/** result.json: the `run --json` object, plus what the report was built from (series, siege figures …). */
export const resultJson = (report: RunReport) => {
  const { run, ...rest } = report
  return { ...run, report: rest }
}

/** A report read back from a result.json this module wrote. */
export const fromResultJson = (json: ReturnType<typeof resultJson>): RunReport => {
  const { report, ...run } = json
  return { run, ...report }
}

export const writeRunReport = (dir: string, report: RunReport): Written => {
  const page = runPage(report)
  const files = write(dir, {
    "index.html": page.html,
    "summary.md": runMarkdown(report),
    "result.json": JSON.stringify(resultJson(report), null, 1) + "\n",
    "junit.xml": junitXml([report.run], `starcoffee ${report.run.scenario}`)
  })
  return { dir, files, charts: page.charts }
}

/** Where a suite keeps a run's report. */
export const suiteRunDir = (dir: string, scenario: string): string => join(dir, folderName(scenario))

/** The suite's own files in `dir`, each run's report in `dir/<scenario>/`. */
export const writeSuiteReport = (dir: string, reports: ReadonlyArray<RunReport>, info: SuiteInfo): Written => {
  for (const report of reports) writeRunReport(suiteRunDir(dir, report.run.scenario), report)
  return writeSuiteIndex(dir, reports, info)
}

/** Only the suite's own files (index, summary, JUnit, results), the runs' reports already written. */
export const writeSuiteIndex = (dir: string, reports: ReadonlyArray<RunReport>, info: SuiteInfo): Written => {
  const files = write(dir, {
    "index.html": suitePage(reports, info),
    "summary.md": suiteMarkdown(reports, info),
    "result.json": JSON.stringify({ seed: info.seed, wallMs: info.wallMs, ok: reports.every((r) => r.run.ok), runs: reports.map((r) => r.run) }, null, 1) + "\n",
    "junit.xml": junitXml(reports.map((r) => r.run), "starcoffee suite")
  })
  return { dir, files }
}

/** The exploration's page in `dir`, its counterexample's run report in `dir/counterexample/`. */
export const writeExploreReport = (dir: string, explore: ExploreSummary, counterexample: RunReport | undefined): Written => {
  if (counterexample) writeRunReport(join(dir, "counterexample"), counterexample)
  const files = write(dir, { "index.html": explorePage(explore), "summary.md": exploreMarkdown(explore) })
  return { dir, files }
}
