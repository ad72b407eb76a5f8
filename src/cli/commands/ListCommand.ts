/**
 * `starcoffee list [--mutants] [--json]`: the built-in scenarios (scenarios/*.yaml) with their
 * descriptions, or the mutant registry (services/MutantNames.ts) with theirs.
 */
import { catalogueFile, catalogueNames } from "../../chaos/scenario/Catalogue.js"
import { MutantNames } from "../../services/MutantNames.js"
import type { Parsed } from "../Args.js"
import { loadScenarioFile } from "../Resolve.js"

const listMutants = (json: boolean): number => {
  const mutants = Object.entries(MutantNames).map(([name, description]) => ({ name, description }))
  if (json) {
    console.log(JSON.stringify(mutants, null, 2))
    return 0
  }
  const width = Math.max(...mutants.map((m) => m.name.length))
  for (const m of mutants) console.log(`${m.name.padEnd(width)}  ${m.description}`)
  return 0
}

export const listCommand = async ({ values }: Parsed): Promise<number> => {
  if (values.mutants) return listMutants(values.json === true)
  const scenarios = await Promise.all(catalogueNames().map((name) => loadScenarioFile(catalogueFile(name))))
  if (values.json) {
    console.log(JSON.stringify(
      scenarios.map((s) => ({ name: s.name, description: s.description, seedSection: s.seedSection ?? null })),
      null,
      2
    ))
    return 0
  }
  const width = Math.max(...scenarios.map((s) => s.name.length))
  for (const s of scenarios) console.log(`${s.name.padEnd(width)}  ${s.description}`)
  return 0
}
