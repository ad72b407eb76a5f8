/**
 * SimFaultInjector: applies and heals faults in the simulated world — the FaultInjector port of the
 * sim world (the live world's counterpart drives Toxiproxy and the supervisor).
 */
import { Effect } from "effect"
import type { SimWorld } from "../../sim/world/SimWorld.js"
import { describeFault, type Fault, type ScheduledFault } from "./Fault.js"

const podAddress = (world: SimWorld, service: string, replica: number) => {
  const pods = world.cluster.podsOf(service as never)
  return pods.length === 0 ? undefined : pods[replica % pods.length]!.address
}

export const applyFault = (world: SimWorld, fault: Fault): Effect.Effect<() => Effect.Effect<void>> =>
  Effect.gen(function*() {
    switch (fault._tag) {
      case "Kill": {
        const address = podAddress(world, fault.service, fault.replica)
        if (address) yield* world.cluster.kill(address)
        return () => Effect.void
      }
      case "Hang": {
        const address = podAddress(world, fault.service, fault.replica)
        if (address) yield* world.cluster.hang(address)
        return () => (address ? world.cluster.recover(address) : Effect.void)
      }
      case "Restart": {
        const address = podAddress(world, fault.service, fault.replica)
        if (address) yield* world.cluster.restart(address)
        return () => Effect.void
      }
      case "Scale": {
        const before = world.cluster.podsOf(fault.service).length
        yield* world.cluster.scale(fault.service, fault.replicas, "fault")
        return () => world.cluster.scale(fault.service, Math.max(1, before), "fault healed")
      }
      case "Roll":
        yield* world.cluster.rollout(fault.service, fault.readiness ? {} : { spec: { readiness: null } })
        return () => Effect.void
      case "ServiceDown": {
        const before = world.cluster.podsOf(fault.service).length
        yield* world.cluster.scale(fault.service, 0)
        return () => world.cluster.scale(fault.service, Math.max(1, before))
      }
      case "Slow":
        world.network.setLatency(fault.from, fault.to, fault.latency)
        return () => Effect.sync(() => world.network.setLatency(fault.from, fault.to, undefined))
      case "Partition":
        if (fault.oneWay) world.network.partitionOneWay(fault.a, fault.b)
        else world.network.partition(fault.a, fault.b)
        return () => Effect.sync(() => world.network.repair(fault.a, fault.b))
      case "Drop":
        world.network.setDropProbability(fault.from, fault.to, fault.probability)
        return () => Effect.sync(() => world.network.setDropProbability(fault.from, fault.to, 0))
      case "BrokerOutage":
        yield* world.broker.control.setOutage(true)
        return () => world.broker.control.setOutage(false)
      case "BrokerSlow":
        yield* world.broker.control.setDeliveryDelay({ minMillis: fault.minMillis, maxMillis: fault.maxMillis })
        return () => world.broker.control.setDeliveryDelay(null)
      case "Duplicate":
        yield* world.broker.control.setDuplicateProbability(fault.probability)
        return () => world.broker.control.setDuplicateProbability(0)
    }
  })

const now = Effect.clockWith((c) => c.currentTimeMillis)

/**
 * Runs a fault schedule from the current time: each fault starts at its time and is healed after its
 * duration; every start and end is recorded in the history. Returns when every fault has healed.
 */
export const runFaultSchedule = (world: SimWorld, schedule: ReadonlyArray<ScheduledFault>) =>
  Effect.gen(function*() {
    const start = yield* now
    yield* Effect.forEach(schedule, (item) =>
      Effect.gen(function*() {
        yield* Effect.sleep(item.atMillis)
        const name = describeFault(item.fault)
        world.history.record({ t: yield* now, type: "fault", phase: "start", fault: name })
        const heal = yield* applyFault(world, item.fault)
        yield* Effect.sleep(item.durationMillis)
        yield* heal()
        world.history.record({ t: yield* now, type: "fault", phase: "end", fault: name })
      }), { concurrency: "unbounded", discard: true })
    return (yield* now) - start
  })
