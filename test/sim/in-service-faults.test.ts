/**
 * The in-service faults (BUGGIFY in spirit: SQL latency and failure, handler delays, crash points),
 * each proven by a mutant: on a small scenario the mutant breaks an invariant with the fault on, and
 * the same scenario and seed passes with the mutant but without the fault, and with the fault but no
 * mutant (the services survive the fault). HandlerDelay's mutant is payment deciding a charge on a read
 * made before its processing time, which only a call that goes out late enough to time out while the
 * charge is processed exposes. Also: a crash point crashes the pod (the cluster records the
 * crash) only once its steps are run, and the checkers' reads never meet a SQL fault.
 */
import { describe, expect, it } from "vitest"
import type { ScheduledFault } from "../../src/chaos/faults/Fault.js"
import type { RunResult } from "../../src/chaos/RunResult.js"
import type { Scenario } from "../../src/chaos/Scenario.js"
import { constant, uniform } from "../../src/services/Distribution.js"
import type { MutantName } from "../../src/services/MutantNames.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const SEED = 3

const failed = (result: RunResult) => result.invariants.filter((i) => !i.ok && i.kind !== "behaviour").map((i) => i.name)
const runs = new Map<string, RunResult>()
const run = (faults: ReadonlyArray<ScheduledFault>, mutants: ReadonlyArray<MutantName> = []) => {
  const key = JSON.stringify([faults, mutants])
  let result = runs.get(key)
  if (result === undefined) runs.set(key, result = runScenarioSim(scenario(faults), { seed: SEED, mutants, keepHistory: true }))
  return result
}

const scenario = (faults: ReadonlyArray<ScheduledFault>): Scenario => ({
  name: "test-in-service",
  description: "3 users order for 8 s with in-service faults on make",
  config: { payment: { processing: uniform(50, 150) } },
  workload: { users: 3, durationMillis: 8_000, thinkMillis: 300 },
  faults,
  livenessBoundMillis: 30_000
})

const sqlFail: ScheduledFault = {
  atMillis: 1_000,
  durationMillis: 5_000,
  fault: { _tag: "SqlFail", service: "make", probability: 0.5, code: "SQLITE_BUSY" }
}
const sqlSlow: ScheduledFault = {
  atMillis: 1_000,
  durationMillis: 5_000,
  fault: { _tag: "SqlSlow", service: "make", latency: uniform(200, 800) }
}
/**
 * The 11th step of make's pod after arming lands between the two transactions of make-outbox-apart
 * (seed 3; of steps 1–40, 11 and 27 do). A step is a task of the pod, so the count follows the
 * services' task granularity: it was 12 while the consumer's read loop yielded once per round.
 */
const crash: ScheduledFault = {
  atMillis: 2_000,
  durationMillis: 5_000,
  fault: { _tag: "CrashPoint", service: "make", replica: 0, afterSteps: 11 }
}
const handlerDelay: ScheduledFault = {
  atMillis: 1_000,
  durationMillis: 5_000,
  fault: { _tag: "HandlerDelay", service: "order", latency: constant(100) }
}
/**
 * order's steps delayed 480 ms: its payment call goes out late and times out (610 ms) while payment
 * is still processing the charge, and its relay publishes the OrderCancelled that makes payment void it.
 */
const lateCall: ScheduledFault = {
  atMillis: 1_000,
  durationMillis: 5_000,
  fault: { _tag: "HandlerDelay", service: "order", latency: constant(480) }
}

const proves = (name: string, fault: ScheduledFault, mutant: MutantName) =>
  describe(`${name} and ${mutant}`, () => {
    it("the services survive the fault", () => {
      const result = run([fault])
      expect(failed(result)).toEqual([])
      expect(result.history?.some((e) => e.type === "fault" && e.phase === "start")).toBe(true)
    })
    it("the mutant passes without the fault", () => {
      expect(failed(run([], [mutant]))).toEqual([])
    })
    it("the fault catches the mutant", () => {
      expect(failed(run([fault], [mutant])).length).toBeGreaterThan(0)
    })
  })

proves("SqlFail on make", sqlFail, "make-acks-failed-event")
proves("SqlSlow on make", sqlSlow, "make-drops-slow-event")
proves("CrashPoint on make", crash, "make-outbox-apart")
proves("HandlerDelay on order", lateCall, "charge-decided-early")

describe("CrashPoint", () => {
  it("crashes make's pod in place once it has run its steps, within the fault's window", () => {
    const crashes = (run([crash]).history ?? []).filter((e) => e.type !== "fault" && JSON.stringify(e).includes('"crash"'))
    expect(crashes.length).toBe(1)
    expect(crashes[0]!.t).toBeGreaterThanOrEqual(crash.atMillis)
    expect(crashes[0]!.t).toBeLessThan(crash.atMillis + crash.durationMillis)
  })
})

describe("HandlerDelay", () => {
  it("the services survive handler delays on order", () => {
    expect(failed(run([handlerDelay]))).toEqual([])
  })
})

describe("CrashPoint during start-up", () => {
  // order's container crashes and starts again a second later; a crash point armed meanwhile fires on
  // the second step of the new container's start-up: its workers starting once its app is up (8 s
  // later; the app itself is built once per process, outside the simulated run: http/HttpApiApp.ts).
  // The kubelet must restart it again.
  const restartThenCrash: ReadonlyArray<ScheduledFault> = [
    { atMillis: 1_000, durationMillis: 0, fault: { _tag: "Restart", service: "order", replica: 0 } },
    { atMillis: 1_200, durationMillis: 15_000, fault: { _tag: "CrashPoint", service: "order", replica: 0, afterSteps: 2 } }
  ]
  it("the pod comes back and every order settles", () => {
    const result = run(restartThenCrash)
    const started = (result.history ?? []).filter((e) => e.type === "cluster" && e.action === "started" && e.pod === "order-0")
    // the crash point fired during that start-up, and the pod was started once more
    const crashes = (result.history ?? []).filter((e) => e.type === "cluster" && e.action === "crash" && e.pod === "order-0")
    expect(crashes.length).toBe(2)
    expect(started.length).toBe(2)
    expect(failed(result)).toEqual([])
  })
})
