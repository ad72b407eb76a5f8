/**
 * ReportPaths: where reports go — by default reports/<scenario>/<seed>/ for a run,
 * reports/suite-<seed>/ for a suite (each run in <scenario>/ under it), reports/explore-<scenario>-<seed>/
 * for an exploration — with a scenario's name made safe as one folder name (a user's scenario file
 * may name itself anything).
 */
import { join } from "node:path"

/** A scenario name as one folder name: letters, digits, `.`, `_` and `-` only, never `.` or `..`. */
export const folderName = (name: string): string => {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, (dots) => "_".repeat(dots.length))
  return safe === "" ? "_" : safe
}

export const defaultRunDir = (scenario: string, seed: number): string => join("reports", folderName(scenario), String(seed))

export const defaultSuiteDir = (seed: number): string => join("reports", `suite-${seed}`)

export const defaultExploreDir = (scenario: string, seed: number): string => join("reports", `explore-${folderName(scenario)}-${seed}`)
