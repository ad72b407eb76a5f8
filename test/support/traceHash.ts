/**
 * Prints the trace hash of one simulated scenario run as JSON on stdout — run in a fresh process by
 * test/sim/determinism.test.ts to show that the hash does not depend on the process:
 *
 *   node --import tsx test/support/traceHash.ts <scenario> <seed>
 */
import { runScenarioSim } from "../../src/sim/world/SimRun.js"
import { builtin } from "./scenarios.js"

const [name = "happy-path", seedText = "7"] = process.argv.slice(2)
const scenario = builtin(name)
const result = runScenarioSim(scenario, { seed: Number(seedText) })
process.stdout.write(JSON.stringify({ scenario: name, seed: result.seed, ok: result.ok, traceHash: result.traceHash }) + "\n")
