/**
 * `starcoffee serve [--service NAME|all]`: the services as real processes on 127.0.0.1.
 *
 * `--service all` (the default) starts the whole live stack — Redis and Toxiproxy on free loopback
 * ports (or the ones --redis and --toxiproxy name), the gateway and the four services as separate
 * processes, every link through a Toxiproxy proxy — prints where the gateway listens, and runs
 * until interrupted; everything it started is stopped on the way out. `--service NAME` runs one replica in this process: under the supervisor it
 * reads its configuration from the environment; on its own it uses the seed's ports on 127.0.0.1
 * (order 8081, payment 8082, make 8083, mypage 8084, gateway 8088) and Redis at --redis.
 */
import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import type { Parsed } from "../Args.js"
import { UsageError } from "../UsageError.js"
import type { ServiceName } from "../../services/ports/ServiceDirectory.js"

/** The services (ServiceDirectory.ts's list, repeated so that a usage error loads nothing heavy). */
const ServiceNames = ["order", "payment", "make", "mypage", "gateway"] as const satisfies ReadonlyArray<ServiceName>

const seedPorts: Record<ServiceName, number> = { order: 8081, payment: 8082, make: 8083, mypage: 8084, gateway: 8088 }

const parsePort = (value: unknown, fallback: number): number => {
  if (value === undefined) return fallback
  if (typeof value !== "string" || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65_535) {
    throw new UsageError(`--port must be a port number from 1 to 65535, got "${String(value)}"`)
  }
  return Number(value)
}

const parseScale = (value: unknown): number => {
  if (value === undefined) return 1
  const n = Number(value)
  if (typeof value !== "string" || !Number.isFinite(n) || n <= 0 || n > 100) {
    throw new UsageError(`--time-scale must be a number above 0 (0.1: ten times faster), got "${String(value)}"`)
  }
  return n
}

/** A server of ours on the loopback interface: `scheme://127.0.0.1:PORT` (or localhost); its port. */
const loopbackPort = (flag: string, scheme: string, value: unknown): number | undefined => {
  if (value === undefined) return undefined
  const match = typeof value === "string" ? new RegExp(`^${scheme}://(127\\.0\\.0\\.1|localhost):(\\d+)/?$`).exec(value) : null
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535) {
    throw new UsageError(`--${flag} must be ${scheme}://127.0.0.1:PORT (servers here are on the loopback interface), got "${String(value)}"`)
  }
  return Number(match[2])
}

const parseService = (value: unknown): ServiceName | "all" => {
  if (value === undefined || value === "all") return "all"
  if (typeof value === "string" && (ServiceNames as ReadonlyArray<string>).includes(value)) return value as ServiceName
  throw new UsageError(`--service must be all or one of ${ServiceNames.join(", ")}, got "${String(value)}"`)
}

export const serveCommand = async ({ values }: Parsed): Promise<number> => {
  const service = parseService(values.service)
  const { REPLICA_ENV } = await import("../../live/ChildProtocol.js")
  const underSupervisor = process.env[REPLICA_ENV] !== undefined
  if (service !== "all" && underSupervisor) {
    const { runReplicaMain } = await import("../../live/ReplicaMain.js")
    return runReplicaMain(service)
  }
  const scale = parseScale(values["time-scale"])
  if (service !== "all" && values.toxiproxy !== undefined) throw new UsageError("--toxiproxy applies to --service all only")
  if (service !== "all") {
    const dataDir = resolve(typeof values.data === "string" ? values.data : ".starcoffee/data")
    mkdirSync(dataDir, { recursive: true })
    const redisUrl = typeof values.redis === "string" ? values.redis : "redis://127.0.0.1:6379"
    if (!/^redis:\/\/[^/]+/.test(redisUrl)) throw new UsageError(`--redis must be a redis:// URL, got "${redisUrl}"`)
    const { runStandaloneReplica } = await import("../../live/ReplicaMain.js")
    return runStandaloneReplica({
      service,
      port: parsePort(values.port, seedPorts[service]),
      redisUrl,
      dataDir,
      scale,
      endpoints: Object.fromEntries(ServiceNames.map((s) => [s, [`http://127.0.0.1:${seedPorts[s]}`]]))
    })
  }
  const redisPort = loopbackPort("redis", "redis", values.redis)
  const toxiproxyPort = loopbackPort("toxiproxy", "http", values.toxiproxy)
  const { serveAll } = await import("../../live/ServeAll.js")
  return serveAll({
    gatewayPort: parsePort(values.port, seedPorts.gateway),
    scale,
    ...(redisPort === undefined ? {} : { redisPort }),
    ...(toxiproxyPort === undefined ? {} : { toxiproxyPort })
  })
}
