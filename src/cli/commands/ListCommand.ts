/**
 * `starcoffee list [--json]`: the scenario catalogue.
 */
import { scenarios } from "../../../scenarios/index.js"
import type { CommandSpec } from "../Args.js"

export const listSpec: CommandSpec = {
  name: "list",
  summary: "List the scenarios starcoffee can run.",
  usage: "starcoffee list [--json]",
  options: { json: { type: "boolean" } },
  flags: [["--json", "print the catalogue as JSON"]],
  maxPositionals: 0
}

export const listCommand = (values: Record<string, unknown>): number => {
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
