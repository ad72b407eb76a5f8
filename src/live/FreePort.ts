/**
 * FreePort: a TCP port on 127.0.0.1 that nothing listens on right now, for a server started a moment
 * later (a replica, Redis, Toxiproxy's API). And whether a given port is free.
 *
 * Ports are drawn below the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range,
 * 32768–60999 by default). In that range, every outgoing connection takes a local port and every
 * `listen(0)` (Toxiproxy's proxies) one more: under a live siege one of them could take the port
 * between its check here and the replica's own listen (a replica then failed to start with
 * EADDRINUSE). Below it, only servers that choose their port themselves compete, and this process
 * never hands out the same port twice within its last PORTS_REMEMBERED. Where the range is unknown or
 * leaves no room below it, the kernel's choice for port 0, as before.
 */
import { readFileSync } from "node:fs"
import { createServer } from "node:net"

/** The lowest port drawn. */
const LOWEST_PORT = 10_000
/** Ports handed out lately, not handed out again. */
const PORTS_REMEMBERED = 4_096
/** Ports tried below the ephemeral range before falling back to the kernel's choice. */
const TRIES = 50

const handedOut = new Set<number>()

const remember = (port: number): number => {
  handedOut.add(port)
  if (handedOut.size > PORTS_REMEMBERED) handedOut.delete(handedOut.values().next().value!)
  return port
}

/** The first port of the kernel's ephemeral range; undefined where it cannot be read. */
const readEphemeralLow = (): number | undefined => {
  try {
    const first = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0])
    return Number.isInteger(first) && first > 0 ? first : undefined
  } catch {
    return undefined
  }
}
const EPHEMERAL_LOW = readEphemeralLow()

/** Listens on `port` (0: the kernel's choice) and closes at once; the port listened on, or undefined if taken. */
const tryListen = (port: number): Promise<number | undefined> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" || error.code === "EACCES" ? resolve(undefined) : reject(error))
    server.listen(port, "127.0.0.1", () => {
      const address = server.address()
      const bound = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(bound > 0 ? bound : undefined))
    })
  })

export const freePort = async (): Promise<number> => {
  const low = EPHEMERAL_LOW
  if (low !== undefined && low > LOWEST_PORT + 1_000) {
    for (let i = 0; i < TRIES; i++) {
      const candidate = LOWEST_PORT + Math.floor(Math.random() * (low - LOWEST_PORT))
      if (handedOut.has(candidate)) continue
      const port = await tryListen(candidate)
      if (port !== undefined) return remember(port)
    }
  }
  for (let i = 0; i < TRIES; i++) {
    const port = await tryListen(0)
    if (port !== undefined && !handedOut.has(port)) return remember(port)
  }
  throw new Error("no free port on 127.0.0.1")
}

/** Resolves when `port` on 127.0.0.1 can be listened on; rejects with "port N on 127.0.0.1 is in use" otherwise. */
export const checkPortFree = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `port ${port} on 127.0.0.1 is in use` : `port ${port} on 127.0.0.1: ${error.message}`)))
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()))
  })
