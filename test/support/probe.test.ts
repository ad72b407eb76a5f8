import { it } from "vitest"
import { Effect } from "effect"
import { runInWorld, postJson, eventsOf } from "./world.js"
it("probe", () => {
  const out = runInWorld((world) => Effect.gen(function*() {
    const http = world.clientHttp()
    yield* world.cluster.scale("make", 0)
    const t0 = yield* Effect.clockWith(c => c.currentTimeMillis)
    const r = yield* postJson(http, "http://gateway/orders", { menuId: 1, price: 100 })
    yield* Effect.sleep(2000)
    return { t0, r: r.text, pods: world.cluster.podsOf("make").map(p => [p.address, p.phase]), hist: world.history.entries.filter(e => e.type !== "invoke") }
  }))
  console.log(JSON.stringify(out, null, 0))
})
