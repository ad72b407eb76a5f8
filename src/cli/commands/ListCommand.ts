/**
 * `starcoffee list [--json]`: the scenario catalogue.
 */
import { scenarios } from "../../../scenarios/index.js"
import type { Parsed } from "../Args.js"

export const listCommand = ({ values }: Parsed): number => {
  if (values.json) {
    console.log(JSON.stringify(
      scenarios.map((s) => ({ name: s.name, description: s.description, seedSection: s.seedSection })),
      null,
      2
    ))
    return 0
  }
  const width = Math.max(...scenarios.map((s) => s.name.length))
  for (const s of scenarios) console.log(`${s.name.padEnd(width)}  ${s.description}`)
  return 0
}
