/**
 * Dependencies: the two real servers a live run starts for itself on free loopback ports — Redis
 * (the bus: no persistence, it lives as long as the run) and the Toxiproxy server (every link of
 * the run goes through one of its proxies) — each stopped when the scope closes.
 */
import { Effect, type Scope } from "effect"
import { connect } from "node:net"
import { join } from "node:path"
import { findRedisServer, findToxiproxyServer } from "./Binaries.js"
import { startLocalServer } from "./LocalServer.js"

/** Sends a line and resolves true when the answer starts with `expect`. */
const answersWith = (port: number, line: string, expect: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port })
    let text = ""
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once("error", () => done(false))
    socket.once("connect", () => socket.write(line))
    socket.on("data", (chunk) => {
      text += chunk.toString("utf8")
      if (text.length >= expect.length) done(text.startsWith(expect))
    })
  })

/** redis-server on a free port, data in `dir`, no snapshots, no append-only file. */
export const startRedis = (dir: string) =>
  Effect.gen(function*() {
    const command = yield* Effect.try({ try: findRedisServer, catch: (e) => e as Error })
    return yield* startLocalServer({
      name: "redis-server",
      command,
      args: (port) => [
        "--port", String(port),
        "--bind", "127.0.0.1",
        "--dir", dir,
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--loglevel", "warning"
      ],
      answers: (port) => answersWith(port, "PING\r\n", "+PONG"),
      logFile: join(dir, "redis.log")
    })
  })

/** The Toxiproxy server's API on a free port. */
export const startToxiproxy = (dir: string): Effect.Effect<number, Error, Scope.Scope> =>
  Effect.gen(function*() {
    const command = yield* Effect.try({ try: findToxiproxyServer, catch: (e) => e as Error })
    return yield* startLocalServer({
      name: "the Toxiproxy server",
      command,
      args: (port) => ["-host", "127.0.0.1", "-port", String(port)],
      answers: async (port) => (await fetch(`http://127.0.0.1:${port}/version`)).ok,
      logFile: join(dir, "toxiproxy.log")
    })
  })
