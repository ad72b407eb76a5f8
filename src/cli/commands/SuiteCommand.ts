/**
 * `starcoffee suite [--seed N] [--json]`: every scenario of the catalogue from one seed, with a
 * summary line each. What `npm start` runs. Exit 0 when every scenario passes.
 */
import { scenarios } from "../../../scenarios/index.js"
import type { CommandSpec, Parsed } from "../Args.js"
import { runJson } from "../Format.js"
import { runTimed } from "../RunTimed.js"
import { parseNonNegativeInt } from "../UsageError.js"

export const suiteSpec: CommandSpec = {
  name: "suite",
  summary: "Run every scenario in the simulated world and print a summary (what `npm start` runs).",
  usage: "starcoffee suite [--seed N] [--json]",
  options: { seed: { type: "string" }, json: { type: "boolean" } },
  flags: [["--seed N", "the seed of every run (default 1)"], ["--json", "print one JSON object per scenario, one per line"]],
  maxPositionals: 0
}

export const suiteCommand = ({ values }: Parsed): number => {
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  let failed = 0
  const width = Math.max(...scenarios.map((s) => s.name.length))
  if (!values.json) console.log(`starcoffee suite: ${scenarios.length} scenarios, seed ${seed}, simulated world\n`)
  for (const scenario of scenarios) {
    const r = runTimed(scenario, { seed, progress: !values.json && Boolean(process.stderr.isTTY) })
    if (!r.ok) failed++
    if (values.json) {
      console.log(JSON.stringify(runJson(r)))
      continue
    }
    const m = r.metrics
    const broken = r.invariants.filter((i) => !i.ok)
    console.log(
      `${r.ok ? "PASS" : "FAIL"}  ${scenario.name.padEnd(width)} ${String(m.transactions).padStart(6)} orders  ` +
        `${(m.availability * 100).toFixed(1).padStart(5)} % accepted  p95 ${String(m.p95Ms).padStart(4)} ms  ` +
        `${r.invariants.length - broken.length}/${r.invariants.length} checks  ` +
        `${(r.simulatedMs / 1000).toFixed(0)} s simulated in ${(r.wallMs / 1000).toFixed(1)} s`
    )
    for (const b of broken) console.log(`      ✗ ${b.name}: ${b.detail}`)
  }
  if (!values.json) console.log(`\n${scenarios.length - failed} passed, ${failed} failed`)
  return failed === 0 ? 0 : 1
}
