/**
 * Resolve: turns command-line values into what a command runs — a scenario (a built-in name or a
 * file), the mutants, the mode, the jobs — or a UsageError naming what was expected. A built-in name
 * is checked against the scenarios/ folder before anything heavy is loaded.
 */
import { catalogueFile, catalogueNames, isScenarioPath } from "../chaos/scenario/Catalogue.js"
import type { Scenario } from "../chaos/Scenario.js"
import { isMutantName, type MutantName, MutantNames } from "../services/MutantNames.js"
import type { Parsed } from "./Args.js"
import { UsageError } from "./UsageError.js"

/** Reads and decodes a scenario file; a bad file is a UsageError of one line (exit 2). */
export const loadScenarioFile = async (file: string): Promise<Scenario> => {
  const { readScenarioFile, ScenarioFileError } = await import("../chaos/scenario/ScenarioFile.js")
  try {
    return readScenarioFile(file)
  } catch (error) {
    if (error instanceof ScenarioFileError) throw new UsageError(error.message)
    throw error
  }
}

/** A built-in scenario by name, or a scenario file by path. */
export const resolveScenario = async (arg: string | undefined): Promise<Scenario> => {
  if (arg !== undefined && isScenarioPath(arg)) return loadScenarioFile(arg)
  const names = catalogueNames()
  if (arg === undefined) throw new UsageError(`a scenario name or file is required; one of: ${names.join(", ")}`)
  if (!names.includes(arg)) throw new UsageError(`unknown scenario "${arg}"; one of: ${names.join(", ")} (or a path to a .yaml file)`)
  return loadScenarioFile(catalogueFile(arg))
}

export const resolveMutants = (values: Parsed["values"]): Array<MutantName> => {
  const raw = (values.mutant as unknown as Array<string> | undefined) ?? []
  return raw.map((name) => {
    if (!isMutantName(name)) {
      throw new UsageError(`unknown mutant "${name}"; one of: ${Object.keys(MutantNames).join(", ")}`)
    }
    return name
  })
}

export const resolveMode = (mode: unknown) => {
  if (mode === undefined || mode === "sim") return "sim" as const
  if (mode === "live") return "live" as const
  throw new UsageError(`--mode must be sim or live, got "${String(mode)}"`)
}

/** `--jobs N`: a positive integer, default the number of cores. */
export const resolveJobs = (value: unknown, cores: number): number => {
  if (value === undefined) return Math.max(1, cores)
  if (typeof value !== "string" || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) {
    throw new UsageError(`--jobs must be an integer from 1 to 256, got "${String(value)}"`)
  }
  return Number(value)
}

/** `--faults Kill,Duplicate`: the fault kinds exploration's swarm may enable (default: all), in FaultKinds order. */
export const resolveFaultKinds = async (value: unknown) => {
  const { FaultKinds } = await import("../chaos/explore/FaultScheduleArbitrary.js")
  if (value === undefined) return undefined
  const names = String(value).split(",").map((s) => s.trim()).filter((s) => s !== "")
  const unknown = names.find((n) => !(FaultKinds as ReadonlyArray<string>).includes(n))
  if (unknown !== undefined || names.length === 0) {
    throw new UsageError(`--faults: ${unknown === undefined ? "no fault kind given" : `unknown fault kind "${unknown}"`}; kinds: ${FaultKinds.join(", ")}`)
  }
  return FaultKinds.filter((k) => names.includes(k))
}
