/**
 * The siege's API clients (chaos/workload/Siege.ts `apiClients`) are built once per HttpClient and base
 * URL — a run's probes call many short sieges through one world's client — and the sim world hands out
 * one workload HttpClient (SimWorld.ts `clientHttp`), so that the cache is hit.
 */
import { HttpClient } from "@effect/platform"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { apiClients } from "../../src/chaos/workload/Siege.js"
import { Kernel } from "../../src/sim/kernel/Kernel.js"
import { SimWorld } from "../../src/sim/world/SimWorld.js"

describe("siege API clients", () => {
  it("are built once per HttpClient and base URL", () => {
    const http = HttpClient.make(() => Effect.die("unused"))
    const other = HttpClient.make(() => Effect.die("unused"))
    const [a, b, c, d] = Effect.runSync(Effect.all([
      apiClients(http, "http://gateway"),
      apiClients(http, "http://gateway"),
      apiClients(http, "http://order"),
      apiClients(other, "http://gateway")
    ]))
    expect(b).toBe(a)
    expect(c).not.toBe(a)
    expect(d).not.toBe(a)
  })

  it("go through the one workload client of a sim world", () => {
    const result = new Kernel({}).run(Effect.scoped(Effect.gen(function*() {
      const world = yield* SimWorld.make({})
      return world.client() === world.client()
    })).pipe(Effect.withTracerEnabled(false)))
    expect(result._tag === "Completed" && result.exit._tag === "Success" && result.exit.value).toBe(true)
  })
})
