/**
 * Proxies: the Toxiproxy proxies of a live run, created and removed through toxiproxy-node-client
 * (which puts a proxy's name in URLs unescaped: names here use letters, digits and dashes only) —
 * one per link end pair: a caller group (`client`, a service) to one running replica, and each
 * service to Redis — and kept in the state LinkFaults asks for (enabled or not, which toxics). Every
 * change to a proxy goes through that proxy's own queue, so faults applied while replicas come and go
 * never interleave on one proxy. A proxy created while a fault is on carries it from the start.
 */
import { type Proxy, type Toxic, Toxiproxy } from "toxiproxy-node-client"
import { checkPortFree } from "./FreePort.js"
import { type LinkEnd, type LinkFaults, type ProxyState, sameToxic, type ToxicSpec } from "./LinkFaults.js"

interface Managed {
  proxy: Proxy
  readonly from: LinkEnd
  readonly to: LinkEnd
  enabled: boolean
  readonly toxics: Map<string, { readonly spec: ToxicSpec; readonly toxic: Toxic<unknown> }>
  /** The proxy's queue of changes. */
  queue: Promise<void>
  removed: boolean
}

export class Proxies {
  private readonly toxiproxy: Toxiproxy
  private readonly managed = new Map<string, Managed>()
  /** Ports proxies listen on, kept even while a proxy is disabled (and its port unbound). */
  private readonly ports = new Set<number>()
  /** Failures to bring a proxy to its state (each also reported to `onError`). */
  readonly errors: Array<string> = []
  /** The run is ending: Toxiproxy goes away with it, proxies are no longer touched. */
  private ending = false

  constructor(
    apiPort: number,
    private readonly faults: LinkFaults,
    private readonly onError: (message: string) => void = () => {}
  ) {
    this.toxiproxy = new Toxiproxy(`http://127.0.0.1:${apiPort}`)
  }

  /** Ports our proxies hold or will take back when re-enabled: not to be handed to a replica. */
  holds(port: number): boolean {
    return this.ports.has(port)
  }

  /**
   * Creates the proxy `name` for `from`'s connections to `upstreamPort` (a replica of `to`, or Redis),
   * in the state the link's faults ask for; returns the address it listens on ("127.0.0.1:PORT").
   */
  async open(name: string, from: LinkEnd, to: LinkEnd, upstreamPort: number, listenPort = 0): Promise<string> {
    if (listenPort !== 0) await checkPortFree(listenPort)
    const proxy = await this.toxiproxy.createProxy({
      name,
      listen: `127.0.0.1:${listenPort}`,
      upstream: `127.0.0.1:${upstreamPort}`
    }).catch((e: Error) => {
      throw new Error(`Toxiproxy could not open the proxy ${name}: ${e.message}`)
    })
    this.ports.add(Number(proxy.listen.split(":").pop()))
    const managed: Managed = { proxy, from, to, enabled: true, toxics: new Map(), queue: Promise.resolve(), removed: false }
    this.managed.set(name, managed)
    await this.enqueue(managed)
    return proxy.listen
  }

  /** From now on nothing is asked of Toxiproxy (the run is ending and its server with it). */
  end(): void {
    this.ending = true
  }

  /** Removes a proxy (its replica is gone); its connections are closed. */
  async close(name: string): Promise<void> {
    const managed = this.managed.get(name)
    if (!managed || this.ending) return
    this.managed.delete(name)
    managed.removed = true
    managed.queue = managed.queue.then(() => managed.proxy.remove()).catch((e) => this.fail(name, e))
    await managed.queue
    this.ports.delete(Number(managed.proxy.listen.split(":").pop()))
  }

  /** Brings every proxy to the state the link faults now ask for; resolves when all are there. */
  async sync(): Promise<void> {
    await Promise.all([...this.managed.values()].map((m) => this.enqueue(m)))
  }

  private enqueue(managed: Managed): Promise<void> {
    managed.queue = managed.queue.then(() => this.apply(managed, this.faults.stateOf(managed.from, managed.to)))
      .catch((e) => this.fail(managed.proxy.name, e))
    return managed.queue
  }

  private fail(name: string, error: unknown): void {
    if (this.ending) return
    const message = `proxy ${name}: ${(error as Error)?.message ?? String(error)}`
    this.errors.push(message)
    this.onError(message)
  }

  private async apply(managed: Managed, state: ProxyState): Promise<void> {
    if (managed.removed || this.ending) return
    const { proxy } = managed
    for (const [name, { spec, toxic }] of managed.toxics) {
      const wanted = state.toxics.find((t) => t.name === name)
      if (wanted && sameToxic(wanted, spec)) continue
      await toxic.remove()
      managed.toxics.delete(name)
    }
    for (const spec of state.toxics) {
      if (managed.toxics.has(spec.name)) continue
      const toxic = await proxy.addToxic({ ...spec })
      managed.toxics.set(spec.name, { spec, toxic })
    }
    if (state.enabled !== managed.enabled) {
      managed.proxy = await proxy.update({ enabled: state.enabled, listen: proxy.listen, upstream: proxy.upstream })
      managed.enabled = state.enabled
    }
  }
}
