/**
 * LinkFaults: the network faults of the live world as state per directed link between node groups
 * (a service, "client" for the workload, "redis" for the bus) — the same model as the simulated
 * network (sim/network/SimNetwork.ts) — and what that state asks of one Toxiproxy proxy.
 *
 * A proxy carries one TCP connection direction: a caller `from` reaching a replica of `to`. Its
 * upstream stream is what `from` sends (requests), its downstream what `to` answers. So:
 *
 *   symmetric partition of a and b  → the proxies a→b and b→a disabled (connections refused)
 *   one-way partition a → b         → a→b: a black hole on upstream (requests lost);
 *                                     b→a: a black hole on downstream (answers to b lost)
 *   slow from → to (a distribution) → latency ± jitter on from→to upstream and on to→from downstream
 *   drop from → to with p           → a black hole with toxicity p on the same streams (Toxiproxy
 *                                     draws per connection)
 *   broker outage                   → every service→redis proxy disabled
 *   slow broker                     → latency on every service→redis downstream
 *
 * A black hole is Toxiproxy's `timeout` toxic with timeout 0: data is dropped and the connection
 * stays open, so the caller sees its own timeout, as a lost message in the simulated network.
 * Latencies are scenario ms, turned into real ms with the run's time scale.
 */
import type { Distribution } from "../services/Distribution.js"
import type { NodeName } from "../chaos/world/World.js"
import { type TimeBase, toRealMillis } from "./LiveClock.js"

export type LinkEnd = NodeName | "redis"

interface DirectedLink {
  /** What `from` sends to `to` is lost (one-way partition). */
  cut: boolean
  latency: Distribution | undefined
  drop: number
}

/** One toxic a proxy should carry, keyed by its name (which encodes its kind and stream). */
export interface ToxicSpec {
  readonly name: string
  readonly type: "timeout" | "latency"
  readonly stream: "upstream" | "downstream"
  readonly toxicity: number
  readonly attributes: Record<string, number>
}

export interface ProxyState {
  readonly enabled: boolean
  readonly toxics: ReadonlyArray<ToxicSpec>
}

const key = (from: LinkEnd, to: LinkEnd) => `${from}>${to}`

export class LinkFaults {
  private readonly links = new Map<string, DirectedLink>()
  /** Unordered pairs cut in both directions (symmetric partitions), keyed both ways. */
  private readonly disabled = new Set<string>()
  /** The broker outage: every link to Redis disabled. */
  brokerDown = false
  /** Slow broker: every answer from Redis delayed uniformly in [min, max] scenario ms. */
  brokerDelay: { readonly minMillis: number; readonly maxMillis: number } | null = null

  constructor(private readonly time: TimeBase) {}

  private link(from: LinkEnd, to: LinkEnd): DirectedLink {
    let state = this.links.get(key(from, to))
    if (!state) this.links.set(key(from, to), state = { cut: false, latency: undefined, drop: 0 })
    return state
  }

  partition(a: LinkEnd, b: LinkEnd, oneWay: boolean): void {
    if (oneWay) {
      this.link(a, b).cut = true
    } else {
      this.disabled.add(key(a, b))
      this.disabled.add(key(b, a))
    }
  }

  repair(a: LinkEnd, b: LinkEnd): void {
    this.disabled.delete(key(a, b))
    this.disabled.delete(key(b, a))
    this.link(a, b).cut = false
    this.link(b, a).cut = false
  }

  slow(from: LinkEnd, to: LinkEnd, latency: Distribution | undefined): void {
    this.link(from, to).latency = latency
  }

  drop(from: LinkEnd, to: LinkEnd, probability: number): void {
    this.link(from, to).drop = Math.min(1, Math.max(0, probability))
  }

  healAll(): void {
    this.links.clear()
    this.disabled.clear()
    this.brokerDown = false
    this.brokerDelay = null
  }

  /** What the proxy carrying `from`'s connections to a replica of `to` should look like. */
  stateOf(from: LinkEnd, to: LinkEnd): ProxyState {
    const forward = this.links.get(key(from, to))
    let backward = this.links.get(key(to, from))
    if (to === "redis" && this.brokerDelay) {
      const { minMillis, maxMillis } = this.brokerDelay
      backward = { cut: backward?.cut ?? false, drop: backward?.drop ?? 0, latency: { _tag: "Uniform", minMillis, maxMillis } }
    }
    return {
      enabled: !this.disabled.has(key(from, to)) && !(to === "redis" && this.brokerDown),
      toxics: [...this.toxicsOf(forward, "upstream"), ...this.toxicsOf(backward, "downstream")]
    }
  }

  private toxicsOf(link: DirectedLink | undefined, stream: "upstream" | "downstream"): Array<ToxicSpec> {
    if (!link) return []
    const toxics: Array<ToxicSpec> = []
    if (link.cut) toxics.push({ name: `cut-${stream}`, type: "timeout", stream, toxicity: 1, attributes: { timeout: 0 } })
    if (link.drop > 0) {
      toxics.push({ name: `drop-${stream}`, type: "timeout", stream, toxicity: link.drop, attributes: { timeout: 0 } })
    }
    if (link.latency) {
      const [min, max] = link.latency._tag === "Constant"
        ? [link.latency.millis, link.latency.millis]
        : [link.latency.minMillis, link.latency.maxMillis]
      toxics.push({
        name: `latency-${stream}`,
        type: "latency",
        stream,
        toxicity: 1,
        attributes: {
          latency: toRealMillis(this.time, (min + max) / 2),
          jitter: toRealMillis(this.time, (max - min) / 2)
        }
      })
    }
    return toxics
  }
}

/** Two toxic specs are the same toxic (nothing to change on the proxy). */
export const sameToxic = (a: ToxicSpec, b: ToxicSpec): boolean =>
  a.type === b.type && a.stream === b.stream && a.toxicity === b.toxicity &&
  JSON.stringify(a.attributes) === JSON.stringify(b.attributes)
