/**
 * Resolve: turns command-line values into what a command runs — a scenario from the catalogue, the
 * mutants, the mode — or a UsageError naming what was expected. The catalogue is loaded only when a
 * scenario is asked for.
 */
import type { Scenario } from "../chaos/Scenario.js"
import { isMutantName, type MutantName, MutantNames } from "../services/MutantNames.js"
import type { Parsed } from "./Args.js"
import { UsageError } from "./UsageError.js"

export const resolveScenario = async (name: string | undefined): Promise<Scenario> => {
  const { findScenario, scenarios } = await import("../../scenarios/index.js")
  const names = scenarios.map((s) => s.name).join(", ")
  if (name === undefined) throw new UsageError(`a scenario name is required; one of: ${names}`)
  const scenario = findScenario(name)
  if (!scenario) throw new UsageError(`unknown scenario "${name}"; one of: ${names}`)
  return scenario
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
  if (mode === "live") {
    throw new UsageError("--mode live is not available yet: the live world (real processes, Redis, Toxiproxy) is not built")
  }
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
