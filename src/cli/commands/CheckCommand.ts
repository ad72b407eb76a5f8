/**
 * `starcoffee check <scenario-file|name>... [--json]`: validates scenario files without running them
 * (Chaos Toolkit's --dry). Exit 0 when every file is a valid scenario; 2 at the first bad one, with one
 * line naming the file, the field and what was expected.
 */
import type { Parsed } from "../Args.js"
import { resolveScenario } from "../Resolve.js"
import { UsageError } from "../UsageError.js"

export const checkCommand = async ({ positionals, values }: Parsed): Promise<number> => {
  if (positionals.length === 0) throw new UsageError("check: give at least one scenario file")
  for (const file of positionals) {
    const scenario = await resolveScenario(file)
    const summary = {
      file,
      ok: true,
      name: scenario.name,
      faults: scenario.faults?.length ?? 0,
      thresholds: scenario.thresholds?.length ?? 0
    }
    if (values.json) console.log(JSON.stringify(summary))
    else console.log(`ok  ${file}: scenario "${scenario.name}", ${summary.faults} faults, ${summary.thresholds} thresholds`)
  }
  return 0
}
