/**
 * FaultInjector: applies each fault of a schedule through the World's verbs at its time and heals
 * it after its duration, recording every start, end and skip in the history. The same code drives
 * the sim world and the live world (chaos/world/World.ts).
 *
 * Faults modelled: every fault of Fault.ts.
 */
import { Effect } from "effect"
import type { Targeted, World } from "../world/World.js"
import { describeFault, type Fault, type ScheduledFault } from "./Fault.js"

/** What applying a fault did, and how to undo it. */
export interface Applied {
  readonly outcome: Targeted
  readonly heal: Effect.Effect<void>
}

const untargeted = (heal: Effect.Effect<void>, target: string): Applied => ({ outcome: { _tag: "Applied", target }, heal })

/** A targeted verb's result, with the heal to run only if it found its target. */
const targeted = (outcome: Targeted, heal: (target: string) => Effect.Effect<void>): Applied => ({
  outcome,
  heal: outcome._tag === "Applied" ? heal(outcome.target) : Effect.void
})

export const applyFault = (world: World, fault: Fault): Effect.Effect<Applied> => {
  switch (fault._tag) {
    case "Kill":
      return Effect.map(world.kill(fault), (o) => targeted(o, () => Effect.void))
    case "Restart":
      return Effect.map(world.restart(fault), (o) => targeted(o, () => Effect.void))
    case "Hang":
      return Effect.map(world.hang(fault), (o) => targeted(o, world.release))
    case "Scale":
    case "ServiceDown": {
      const before = world.replicas(fault.service)
      const to = fault._tag === "Scale" ? fault.replicas : 0
      return Effect.as(
        world.scale(fault.service, to, "fault"),
        untargeted(world.scale(fault.service, Math.max(1, before), "fault healed"), fault.service)
      )
    }
    case "Roll":
      return Effect.as(world.roll(fault.service, { readiness: fault.readiness }), untargeted(Effect.void, fault.service))
    case "Slow":
      return Effect.as(world.slow(fault.from, fault.to, fault.latency), untargeted(world.slow(fault.from, fault.to, undefined), `${fault.from}→${fault.to}`))
    case "Partition":
      return Effect.as(world.partition(fault.a, fault.b, { oneWay: fault.oneWay }), untargeted(world.repair(fault.a, fault.b), `${fault.a}–${fault.b}`))
    case "Drop":
      return Effect.as(world.drop(fault.from, fault.to, fault.probability), untargeted(world.drop(fault.from, fault.to, 0), `${fault.from}→${fault.to}`))
    case "BrokerOutage":
      return Effect.as(world.brokerDown(), untargeted(world.brokerUp(), "broker"))
    case "BrokerSlow":
      return Effect.as(
        world.brokerSlow({ minMillis: fault.minMillis, maxMillis: fault.maxMillis }),
        untargeted(world.brokerSlow(null), "broker")
      )
    case "Duplicate":
      return Effect.as(world.brokerDuplicate(fault.probability), untargeted(world.brokerDuplicate(0), "broker"))
    case "ClockSkew":
      return Effect.map(
        world.skewClock(fault, { offsetMillis: fault.offsetMillis, driftPerSecond: fault.driftPerSecond }),
        (o) => targeted(o, world.unskewClock)
      )
    case "CpuHog":
      return Effect.map(world.hogCpu(fault, fault.fraction), (o) => targeted(o, world.unhogCpu))
    case "SqlSlow":
      return Effect.map(world.sqlSlow(fault.service, fault.latency), (o) => targeted(o, () => Effect.asVoid(world.sqlSlow(fault.service, undefined))))
    case "SqlFail":
      return Effect.map(
        world.sqlFail(fault.service, { probability: fault.probability, code: fault.code }),
        (o) => targeted(o, () => Effect.asVoid(world.sqlFail(fault.service, undefined)))
      )
    case "HandlerDelay":
      return Effect.map(
        world.delayHandlers(fault.service, fault.latency),
        (o) => targeted(o, () => Effect.asVoid(world.delayHandlers(fault.service, undefined)))
      )
    case "CrashPoint":
      return Effect.map(world.crashAfter(fault, fault.afterSteps), (o) => targeted(o, world.uncrash))
  }
}

const now = Effect.clockWith((c) => c.currentTimeMillis)

/** One scheduled fault: wait for its time, apply it (or record it skipped), wait, heal it. */
const runOne = (world: World, item: ScheduledFault) =>
  Effect.gen(function*() {
    yield* Effect.sleep(item.atMillis)
    const fault = describeFault(item.fault)
    const { heal, outcome } = yield* applyFault(world, item.fault)
    if (outcome._tag === "Skipped") {
      world.history.record({ t: yield* now, type: "fault", phase: "skipped", fault, detail: outcome.reason })
      return
    }
    world.history.record({ t: yield* now, type: "fault", phase: "start", fault, target: outcome.target })
    yield* Effect.sleep(item.durationMillis)
    yield* heal
    world.history.record({ t: yield* now, type: "fault", phase: "end", fault, target: outcome.target })
  })

/**
 * Runs a fault schedule from the current time: each fault starts at its time and is healed after its
 * duration. Returns when every fault has healed, with the elapsed time.
 */
export const runFaultSchedule = (world: World, schedule: ReadonlyArray<ScheduledFault>) =>
  Effect.gen(function*() {
    const start = yield* now
    yield* Effect.forEach(schedule, (item) => runOne(world, item), { concurrency: "unbounded", discard: true })
    return (yield* now) - start
  })
