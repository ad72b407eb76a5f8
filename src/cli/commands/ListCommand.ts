/**
 * `starcoffee list [--json]`: the built-in scenarios (scenarios/*.yaml) with their descriptions.
 */
import { catalogueFile, catalogueNames } from "../../chaos/scenario/Catalogue.js"
import type { Parsed } from "../Args.js"
import { loadScenarioFile } from "../Resolve.js"

export const listCommand = async ({ values }: Parsed): Promise<number> => {
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
