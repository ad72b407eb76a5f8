/**
 * The new faults (clock skew, CPU hog) and make's brew time, each proven by a mutant that only it
 * reaches: on a small scenario, the mutant breaks a named invariant with the fault on, and the same
 * scenario and seed without the fault passes every invariant with the mutant on; the scenario with the
 * fault and no mutant passes too, and shows it exercised the path. Also: brews survive the death of
 * the pod brewing them, a fault that finds no target is recorded as skipped, not started, and a pod's
 * skewed clock skews neither the history's times nor the broker's.
 */
import { Clock, Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { RunResult } from "../../src/chaos/RunResult.js"
import type { Scenario } from "../../src/chaos/Scenario.js"
import { constant, uniform } from "../../src/services/Distribution.js"
import type { MutantName } from "../../src/services/MutantNames.js"
import * as SimBroker from "../../src/sim/broker/SimBroker.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const SEED = 7
const fastPayment = { processing: uniform(50, 150) }

const failed = (result: RunResult) => result.invariants.filter((i) => !i.ok).map((i) => i.name)
const runs = new Map<string, RunResult>()
/** Runs a scenario with seed SEED (once per scenario and mutants: tests share the runs). */
const run = (scenario: Scenario, mutants: ReadonlyArray<MutantName> = []) => {
  const key = JSON.stringify([scenario, mutants])
  let result = runs.get(key)
  if (result === undefined) runs.set(key, result = runScenarioSim(scenario, { seed: SEED, mutants, keepHistory: true }))
  return result
}

/**
 * Two make pods brewing 1–3 s coffees; with the fault, make#1's clock runs 20 s fast, so the brew
 * claims make#0 writes (its time + brew + 5 s) look expired to make#1's sweep while make#0 still brews.
 */
const skewedMake = (skew: boolean): Scenario => ({
  name: "test-skewed-make",
  description: "make#1 20 s fast while 4 users order 1–3 s coffees from two make pods",
  config: { payment: fastPayment, make: { brew: uniform(1_000, 3_000) } },
  replicas: { make: 2 },
  workload: { users: 4, durationMillis: 10_000, thinkMillis: 500 },
  faults: skew
    ? [{
      atMillis: 1_000,
      durationMillis: 11_000,
      fault: { _tag: "ClockSkew", service: "make", replica: 1, offsetMillis: 20_000, driftPerSecond: 0 }
    }]
    : [],
  livenessBoundMillis: 30_000
})

/**
 * payment#0 hogged at 99 % for 5 s: its charges wait seconds for the CPU, past order's 610 ms timeout,
 * so order rejects the orders and payment voids them before the queued charges run.
 */
const hoggedPayment = (hog: boolean): Scenario => ({
  name: "test-hogged-payment",
  description: "payment's CPU 99 % hogged for 5 s while 3 users order",
  config: { payment: fastPayment },
  workload: { users: 3, durationMillis: 10_000, thinkMillis: 300 },
  faults: hog
    ? [{ atMillis: 2_000, durationMillis: 5_000, fault: { _tag: "CpuHog", service: "payment", replica: 0, fraction: 0.99 } }]
    : [],
  livenessBoundMillis: 30_000
})

/** Users place and cancel; with a brew time, their cancels reach make while coffees brew. */
const cancelsWhileBrewing = (brew: boolean): Scenario => ({
  name: "test-cancels-while-brewing",
  description: "4 users place and cancel orders; coffees take 1–3 s (or no time)",
  config: { payment: fastPayment, make: { brew: brew ? uniform(1_000, 3_000) : constant(0) } },
  workload: { users: 4, durationMillis: 10_000, thinkMillis: 800, mix: { place: 0.5, cancel: 0.5, status: 0 } },
  livenessBoundMillis: 30_000
})

interface Proof {
  readonly fault: string
  readonly mutant: MutantName
  readonly invariant: string
  readonly scenario: (faultOn: boolean) => Scenario
  /** What the fault did to a correct system, shown by the run with the fault and no mutant. */
  readonly exercised: (withFault: RunResult, withoutFault: RunResult) => void
}

const proofs: ReadonlyArray<Proof> = [
  {
    fault: "ClockSkew",
    mutant: "brew-lease-trusted",
    invariant: "at most one charge, one coffee and one refund per order",
    scenario: skewedMake,
    exercised: (skewed) => {
      expect(skewed.metrics.ordersAccepted).toBeGreaterThan(20)
      expect(skewed.metrics.coffeesMade).toBe(skewed.metrics.ordersAccepted)
    }
  },
  {
    fault: "CpuHog",
    mutant: "charge-after-void",
    invariant: "money conserved",
    scenario: hoggedPayment,
    exercised: (hogged, free) => {
      // the hog made order give up on charges (503) that payment had not run yet
      expect(free.metrics.failed).toBe(0)
      expect(hogged.metrics.failed).toBeGreaterThan(5)
      expect(hogged.metrics.coffeesMade).toBe(hogged.metrics.ordersAccepted)
    }
  },
  {
    fault: "the brew time",
    mutant: "brew-ignores-cancel",
    invariant: "no coffee for a cancelled order",
    scenario: cancelsWhileBrewing,
    exercised: (brewing, instant) => {
      // with a brew time some cancels beat the coffee (refunded); made instantly, every cancel is too late
      expect(brewing.metrics.refunds).toBeGreaterThan(0)
      expect(brewing.metrics.coffeesMade).toBeGreaterThan(0)
      expect(brewing.metrics.coffeesMade + brewing.metrics.refunds).toBe(brewing.metrics.ordersAccepted)
      expect(instant.metrics.refunds).toBe(0)
      expect(instant.metrics.coffeesMade).toBe(instant.metrics.ordersAccepted)
    }
  }
]

describe("each new fault is proven by a mutant that only it reaches", { timeout: 120_000 }, () => {
  for (const proof of proofs) {
    it(`${proof.fault}: ${proof.mutant} breaks "${proof.invariant}" with the fault, and passes without it`, () => {
      const withFault = run(proof.scenario(true))
      const withoutFault = run(proof.scenario(false))
      expect(withFault.kernel).toBe("Completed")
      expect(failed(withFault), JSON.stringify(withFault.invariants, null, 1)).toEqual([])
      expect(failed(withoutFault)).toEqual([])
      proof.exercised(withFault, withoutFault)

      const mutantWithout = run(proof.scenario(false), [proof.mutant])
      expect(mutantWithout.mutants).toEqual([proof.mutant])
      expect(failed(mutantWithout), JSON.stringify(mutantWithout.invariants, null, 1)).toEqual([])

      const mutantWith = run(proof.scenario(true), [proof.mutant])
      expect(mutantWith.kernel).toBe("Completed")
      expect(mutantWith.failureClass).toBe("safety")
      expect(failed(mutantWith)).toContain(proof.invariant)
      expect(mutantWith.invariants.find((i) => i.name === proof.invariant)!.detail).toMatch(/^\d+ orders /)
    })
  }
})

describe("brews survive the pod brewing them", { timeout: 60_000 }, () => {
  const KILL_AT = 5_000
  /** Every coffee takes 10 s and every order is placed before 4 s: at the kill, all brews are under way. */
  const dieMidBrew = (kind: "Kill" | "Restart"): Scenario => ({
    name: `test-${kind.toLowerCase()}-mid-brew`,
    description: `make#0 (the only one) ${kind === "Kill" ? "killed" : "crashes and restarts"} while it brews every order`,
    config: { payment: fastPayment, make: { brew: constant(10_000) } },
    workload: { users: 4, durationMillis: 4_000, thinkMillis: 300 },
    faults: [{ atMillis: KILL_AT, durationMillis: 0, fault: { _tag: kind, service: "make", replica: 0 } }],
    livenessBoundMillis: 60_000
  })

  for (const kind of ["Kill", "Restart"] as const) {
    it(`${kind}: brews claimed by the dead container are brewed again and made exactly once`, () => {
      const result = run(dieMidBrew(kind))
      expect(result.kernel).toBe("Completed")
      expect(failed(result), JSON.stringify(result.invariants, null, 1)).toEqual([])
      const events = result.history!.filter((e) => e.type === "event")
      const made = events.filter((e) => e.kind === "CoffeeMade")
      // make had both facts of these orders well before the kill, and nothing was made before it:
      // each of them was mid-brew in the container that died
      const factsAt = new Map<number, number>()
      for (const e of events) {
        if (e.kind === "PaymentApproved" || e.kind === "OrderPlaced") factsAt.set(e.orderId, Math.max(factsAt.get(e.orderId) ?? 0, e.t))
      }
      const midBrew = [...factsAt].filter(([, t]) => t < KILL_AT - 500).map(([id]) => id)
      expect(midBrew.length).toBeGreaterThan(10)
      expect(made.every((e) => e.t > KILL_AT)).toBe(true)
      expect(new Set(made.map((e) => e.orderId))).toEqual(new Set(factsAt.keys()))
      expect(result.metrics.coffeesMade).toBe(result.metrics.ordersAccepted)
    })
  }
})

describe("a fault that finds no target", { timeout: 60_000 }, () => {
  it("is recorded as skipped, with the reason, and never as started or ended", () => {
    const scenario: Scenario = {
      name: "test-faults-without-target",
      description: "make scaled to 0; then a kill, a clock skew and a CPU hog aimed at make",
      config: { payment: fastPayment },
      workload: { users: 2, durationMillis: 5_000, thinkMillis: 300 },
      faults: [
        { atMillis: 1_000, durationMillis: 4_000, fault: { _tag: "ServiceDown", service: "make" } },
        { atMillis: 2_000, durationMillis: 1_000, fault: { _tag: "Kill", service: "make", replica: 0 } },
        {
          atMillis: 2_000,
          durationMillis: 1_000,
          fault: { _tag: "ClockSkew", service: "make", replica: 0, offsetMillis: 5_000, driftPerSecond: 0 }
        },
        { atMillis: 2_000, durationMillis: 1_000, fault: { _tag: "CpuHog", service: "make", replica: 0, fraction: 0.5 } }
      ],
      livenessBoundMillis: 30_000
    }
    const result = run(scenario)
    expect(failed(result)).toEqual([])
    const faults = result.history!.filter((e) => e.type === "fault")
    // Times in the schedule count from the safety phase, which starts after the baseline probe of a
    // scenario with faults (chaos/RunScenario.ts): the first fault, "make down" at 1 000 ms, dates it.
    const safetyStart = faults.find((e) => e.fault === "make down" && e.phase === "start")!.t - 1_000
    const untargeted = ["kill make#0", "clock of make#0 +5000 ms", "CPU hog on make#0 (50 %)"]
    for (const fault of untargeted) {
      const entries = faults.filter((e) => e.fault === fault)
      expect(entries.map((e) => e.phase)).toEqual(["skipped"])
      expect(entries[0]).toMatchObject({ t: safetyStart + 2_000, detail: "make has no running replica" })
    }
    // the fault that did find its target was started and healed
    expect(faults.filter((e) => e.fault === "make down").map((e) => e.phase)).toEqual(["start", "end"])
  })
})

/** A clock that always reads `millis` (sleeps are not used by the broker operations below). */
const fixedClock = (millis: number): Clock.Clock => ({
  [Clock.ClockTypeId]: Clock.ClockTypeId,
  currentTimeMillis: Effect.succeed(millis),
  currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
  unsafeCurrentTimeMillis: () => millis,
  unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
  sleep: () => Effect.void
})

describe("a skewed pod clock stays inside the pod", { timeout: 60_000 }, () => {
  it("the history is stamped with true time: with make#1 20 s fast, its times never go backwards", () => {
    const result = run(skewedMake(true))
    const history = result.history!
    const backwards = history.filter((e, i) => i > 0 && e.t < history[i - 1]!.t)
    expect(backwards).toEqual([])
    // make#1 published events during its skew, and they carry times inside the run, not 20 s ahead
    const fromSkewed = history.filter((e) => e.type === "event" && e.pod === "make-1" && e.t >= 1_000 && e.t < 12_000)
    expect(fromSkewed.length).toBeGreaterThan(0)
    expect(Math.max(...history.map((e) => e.t))).toBeLessThanOrEqual(result.simulatedMs)
  })

  it("a pod's CPU queue runs on true time: an order pod 10 s fast does not stall a hogged payment for the other", () => {
    const scenario: Scenario = {
      name: "test-skewed-caller-of-hogged-pod",
      description: "payment#0 50 % hogged; order#0 10 s fast; two order pods call payment",
      config: { payment: fastPayment },
      replicas: { order: 2 },
      workload: { users: 10, durationMillis: 10_000, thinkMillis: 500 },
      faults: [
        { atMillis: 2_000, durationMillis: 7_000, fault: { _tag: "CpuHog", service: "payment", replica: 0, fraction: 0.5 } },
        {
          atMillis: 2_000,
          durationMillis: 7_000,
          fault: { _tag: "ClockSkew", service: "order", replica: 0, offsetMillis: 10_000, driftPerSecond: 0 }
        }
      ],
      livenessBoundMillis: 30_000
    }
    const result = run(scenario)
    expect(failed(result)).toEqual([])
    const callFailures = result.history!.flatMap((e) => (e.type === "note" && e.note._tag === "PaymentCallFailed" ? [e.note.reason] : []))
    // payment's queue at half a core keeps up with 10 users: no call waits past order's 610 ms timeout
    expect(callFailures.filter((r) => r === "timeout" || r === "circuit-open")).toEqual([])
    expect(result.metrics.p99Ms).toBeLessThan(610)
  })

  it("the broker reads its own clock, as Redis does, not the skewed clock of the pod calling it", () =>
    Effect.gen(function*() {
      const broker = yield* SimBroker.make({ clock: fixedClock(1_000) })
      const id = yield* broker.bus.publish("s", "x").pipe(Effect.withClock(fixedClock(50_000)))
      expect(id).toBe("1000-0")
      const callers = yield* SimBroker.make()
      expect(yield* callers.bus.publish("s", "x").pipe(Effect.withClock(fixedClock(50_000)))).toBe("50000-0")
    }).pipe(Effect.runSync))
})
