/**
 * HandlerDelays: in-service delays of one service's handlers between their steps — FoundationDB's
 * BUGGIFY in spirit, switched on by a fault. While on, each step a handler takes through its ports
 * first waits a drawn simulated time: an event handed to the consumer (after the read or claim that
 * delivered it, before the handler runs), each publish and ack, and each outgoing HTTP call of a
 * request handler. While a crash point is armed on a pod of the service, each such step first yields,
 * so that a crash can land between any two of them (PodScheduler.ts).
 *
 * Draws come from the running fiber's Random (the pod's own: PodRuntime.ts).
 *
 * Faults modelled: handler latency between steps (bus reads, claims, publishes, acks, outgoing HTTP);
 * steps apart for crash points.
 */
import { HttpClient } from "@effect/platform"
import { Effect } from "effect"
import { type Distribution, sample } from "../../services/Distribution.js"
import type { EventBusShape } from "../../services/ports/EventBus.js"

export class HandlerDelays {
  private latency: Distribution | undefined = undefined
  private stepYields = 0
  /** What runs at each step; undefined when nothing is on. */
  pause: Effect.Effect<void> | undefined = undefined

  setLatency(latency: Distribution | undefined): void {
    this.latency = latency
    this.refresh()
  }

  /** One more (or, with -1, one fewer) armed crash point on a pod of the service. */
  yieldSteps(delta: 1 | -1): void {
    this.stepYields = Math.max(0, this.stepYields + delta)
    this.refresh()
  }

  private refresh(): void {
    const steps: Array<Effect.Effect<void>> = []
    if (this.stepYields > 0) steps.push(Effect.yieldNow())
    const latency = this.latency
    if (latency !== undefined) steps.push(Effect.flatMap(sample(latency), (ms) => (ms > 0 ? Effect.sleep(ms) : Effect.void)))
    this.pause = steps.length === 0 ? undefined : Effect.all(steps, { discard: true })
  }

  /** `effect` after the pause, when one is on. */
  before<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.suspend(() => (this.pause === undefined ? effect : Effect.zipRight(this.pause, effect)))
  }

  /** `effect` followed by the pause, when one is on. */
  after<A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> {
    return Effect.flatMap(effect, (a) => (this.pause === undefined ? Effect.succeed(a) : Effect.as(this.pause, a)))
  }

  /** The bus as the service's handlers meet it: delivered entries, publishes and acks paused. */
  bus(bus: EventBusShape): EventBusShape {
    return {
      ...bus,
      read: (options) => this.after(bus.read(options)),
      claimIdle: (options) => this.after(bus.claimIdle(options)),
      publish: (stream, body) => this.before(bus.publish(stream, body)),
      ack: (stream, group, ids) => this.before(bus.ack(stream, group, ids))
    }
  }

  /** The service's outgoing HTTP client: each call paused first. */
  client(client: HttpClient.HttpClient): HttpClient.HttpClient {
    return HttpClient.mapRequestEffect(client, (request) => this.before(Effect.succeed(request)))
  }
}
