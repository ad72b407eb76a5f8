/**
 * LiveContainer: one run of a replica's process — a fresh port, a Toxiproxy proxy from each of its
 * callers and one to Redis (all created before the process, so a link fault already on applies from
 * its first byte), then the replica spawned without a shell (ReplicaBundle.ts: the bundled entry,
 * or `starcoffee serve --service NAME`) with its configuration in the environment, its output in a
 * log file, an IPC channel to the supervisor. When the process exits its proxies are removed;
 * `exitReason` says why it ended.
 */
import { type ChildProcess } from "node:child_process"
import { closeSync, openSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { NodeName } from "../chaos/world/World.js"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"
import { callersOf, usesBus } from "./CallGraph.js"
import { spawnTracked } from "./ChildProcesses.js"
import { type Directory, type FromReplica, REPLICA_ENV, type ReplicaConfig, type ToReplica } from "./ChildProtocol.js"
import { freePort } from "./FreePort.js"
import type { Proxies } from "./Proxies.js"
import { type ReplicaCommand, replicaCommand } from "./ReplicaBundle.js"

export interface ContainerContext {
  readonly proxies: Proxies
  readonly logDir: string
  readonly redisPort: number
  /** The replica's configuration but for what each container decides (port, Redis URL, directory). */
  readonly base: (pod: string, service: ServiceName) => Omit<ReplicaConfig, "port" | "redisUrl" | "directory">
  readonly directoryFor: (service: ServiceName) => Directory
  readonly onMessage: (pod: string, message: FromReplica) => void
  /** False once the world is shutting down: a start still on its way then spawns nothing. */
  readonly open: () => boolean
  /** Where the workload reaches the first gateway replica, when fixed (serve --port). Default: any port. */
  readonly gatewayPort?: number
  /** What a replica process runs. Default: ReplicaBundle's choice. */
  readonly command?: ReplicaCommand
}

export class LiveContainer {
  /** Why the process ended, once it has. */
  exitReason: string | undefined = undefined
  private readonly exitListeners: Array<(reason: string) => void> = []

  private constructor(
    readonly pod: string,
    readonly service: ServiceName,
    readonly port: number,
    /** Caller group → the URL of this container's proxy for it ("http://127.0.0.1:PORT"). */
    readonly endpoints: ReadonlyMap<NodeName, string>,
    readonly child: ChildProcess,
    readonly logFile: string
  ) {}

  /** Creates the proxies and spawns the process. */
  static async start(context: ContainerContext, pod: string, service: ServiceName, run: number): Promise<LiveContainer> {
    const { proxies } = context
    let port = await freePort()
    while (proxies.holds(port)) port = await freePort()
    const names: Array<string> = []
    const endpoints = new Map<NodeName, string>()
    for (const caller of callersOf(service)) {
      const name = `${caller}-to-${pod}-run${run}`
      const fixed = caller === "client" && context.gatewayPort !== undefined && pod === "gateway-0" ? context.gatewayPort : 0
      endpoints.set(caller, `http://${await proxies.open(name, caller, service, port, fixed)}`)
      names.push(name)
    }
    let redisUrl: string | undefined = undefined
    if (usesBus(service)) {
      const name = `${pod}-run${run}-to-redis`
      redisUrl = `redis://${await proxies.open(name, service, "redis", context.redisPort)}`
      names.push(name)
    }
    const config: ReplicaConfig = {
      ...context.base(pod, service),
      port,
      ...(redisUrl === undefined ? {} : { redisUrl }),
      directory: context.directoryFor(service)
    }
    if (!context.open()) {
      await Promise.all(names.map((name) => proxies.close(name)))
      throw new Error(`${pod}: the world is shutting down`)
    }
    const logFile = join(context.logDir, `${pod}.log`)
    const log = openSync(logFile, "a")
    const command = context.command ?? await replicaCommand()
    const child = spawnTracked(process.execPath, command.args(service), {
      stdio: ["ignore", log, log, "ipc"],
      env: { ...process.env, [REPLICA_ENV]: JSON.stringify(config) }
    })
    closeSync(log)
    const container = new LiveContainer(pod, service, port, endpoints, child, logFile)
    child.on("message", (message: FromReplica) => context.onMessage(pod, message))
    const ended = (reason: string) => {
      if (container.exitReason !== undefined) return
      container.exitReason = reason
      for (const name of names) void proxies.close(name)
      for (const listener of container.exitListeners) listener(reason)
    }
    child.once("exit", (code, signal) => ended(signal ? `killed by ${signal}` : `exited with code ${code}`))
    child.once("error", (error) => ended(error.message))
    return container
  }

  get running(): boolean {
    return this.exitReason === undefined
  }

  /** Calls back once the process has ended (at once if it has). */
  onExit(listener: (reason: string) => void): void {
    if (this.exitReason !== undefined) listener(this.exitReason)
    else this.exitListeners.push(listener)
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal)
  }

  send(message: ToReplica): void {
    if (this.running && this.child.connected) this.child.send(message, () => {})
  }

  /** The last line the process wrote (why it failed to start, usually). */
  lastLine(): string {
    try {
      const lines = readFileSync(this.logFile, "utf8").split("\n").map((l) => l.trim()).filter(Boolean)
      return lines[lines.length - 1] ?? ""
    } catch {
      return ""
    }
  }
}
