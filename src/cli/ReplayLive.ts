/**
 * `starcoffee replay <explore.json> --mode live [--time-scale S]`: a counterexample found in the
 * simulator, applied to the real processes — the same scenario, mutants, workload seed and shrunk
 * fault schedule, run in the live world (src/live/LiveRun.ts), so the bug can be seen outside the
 * simulator. A live run is not byte-reproducible: the verdict is whether a safety or liveness
 * invariant breaks again (exit 1), and whether it is the one the exploration found.
 */
import { brokenInvariants } from "../chaos/explore/Explore.js"
import { withSample } from "../chaos/explore/Explore.js"
import type { ScheduledFault } from "../chaos/faults/Fault.js"
import type { Scenario } from "../chaos/Scenario.js"
import { describeFault } from "../chaos/faults/Fault.js"
import type { MutantName } from "../services/MutantNames.js"
import { runLiveTimed } from "./RunLiveTimed.js"

export interface LiveReplayInput {
  readonly scenario: Scenario
  readonly mutants: ReadonlyArray<MutantName>
  readonly runSeed: number
  readonly schedule: ReadonlyArray<ScheduledFault>
  /** The invariants the exploration broke ("a; b" when several). */
  readonly invariant: string
}

export const replayLive = async (input: LiveReplayInput, options: { readonly timeScale: unknown; readonly json: boolean }) => {
  const result = await runLiveTimed(withSample(input.scenario, input.schedule), {
    seed: input.runSeed,
    mutants: input.mutants,
    timeScale: options.timeScale,
    progress: !options.json && Boolean(process.stderr.isTTY),
    keepHistory: false
  })
  const broken = brokenInvariants(result)
  const explored = input.invariant.split("; ")
  const same = broken.some((b) => explored.includes(b.name))
  if (options.json) {
    console.log(JSON.stringify({
      scenario: input.scenario.name,
      mode: "live",
      reproduced: broken.length > 0,
      sameInvariant: same,
      invariant: input.invariant,
      wallMs: result.wallMs,
      invariants: result.invariants,
      metrics: result.metrics
    }))
  } else {
    console.log(`${broken.length > 0 ? "REPRODUCED LIVE" : "NOT REPRODUCED LIVE"}  ${input.scenario.name} (workload seed ${input.runSeed}, mutants ${input.mutants.join(",") || "none"})`)
    console.log(`      schedule: ${input.schedule.map((f) => `${describeFault(f.fault)} at ${f.atMillis} ms for ${f.durationMillis} ms`).join("; ") || "no extra faults"}`)
    console.log(`      explore broke: ${input.invariant}${broken.length > 0 ? (same ? " — broken live too" : " — live broke others") : ""}`)
    for (const b of broken) console.log(`      ✗ ${b.name}: ${b.detail}`)
    console.log(`      ${(result.wallMs / 1000).toFixed(1)} s wall on real processes (not byte-reproducible)`)
  }
  return broken.length > 0 ? 1 : 0
}
