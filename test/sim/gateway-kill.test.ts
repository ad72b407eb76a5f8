/**
 * A gateway pod can be killed while it forwards a request over a lost link: the forwarded call is
 * interrupted (found by exploration: the raw gateway app ran uninterruptibly under HttpApp.toHandled,
 * so the kill waited on a request that would never be answered).
 */
import { Effect, Fiber } from "effect"
import { describe, expect, it } from "vitest"
import { Kernel } from "../../src/sim/kernel/Kernel.js"
import { SimWorld } from "../../src/sim/world/SimWorld.js"

describe("gateway under a lost link", () => {
  it("a kill of the gateway pod completes while a forwarded call hangs", () => {
    const program = Effect.gen(function*() {
      const world = yield* SimWorld.make({})
      world.network.setDropProbability("gateway", "order", 1)
      const client = yield* Effect.fork(world.clientHttp().get("http://gateway/orders/1"))
      yield* Effect.sleep(1_000)
      yield* Fiber.interrupt(client)
      const kill = yield* Effect.fork(world.cluster.kill("gateway-0"))
      yield* Effect.sleep(1_000)
      return kill.unsafePoll() !== null
    }).pipe(Effect.scoped, Effect.withTracerEnabled(false))
    const kernel = new Kernel({})
    const result = kernel.run(program, { seed: 1, untilMillis: 60_000 })
    kernel.shutdown()
    expect(result._tag).toBe("Completed")
    expect(result._tag === "Completed" && result.exit._tag === "Success" && result.exit.value).toBe(true)
  })
})
