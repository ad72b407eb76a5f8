/**
 * Dependencies: the two real servers a live run stands on — Redis (the bus: no persistence, it lives
 * as long as the run) and the Toxiproxy server (every link of the run goes through one of its
 * proxies) — started for the run on free loopback ports and stopped when the scope closes, or, when
 * given (serve --redis / --toxiproxy, e.g. the docker-compose services), checked to answer: Redis
 * must hold no starcoffee stream yet, and Toxiproxy's proxies of an earlier session are removed.
 */
import { Effect, type Scope } from "effect"
import { Redis } from "ioredis"
import { Streams } from "../services/ports/EventBus.js"
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

/** Uses a Redis someone else runs on 127.0.0.1:`port`; it must answer and hold no starcoffee stream. */
export const useRedis = (port: number): Effect.Effect<number, Error> =>
  Effect.tryPromise({
    try: async () => {
      if (!(await answersWith(port, "PING\r\n", "+PONG"))) throw new Error(`Redis at redis://127.0.0.1:${port} does not answer PING`)
      const redis = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0 })
      redis.on("error", () => {})
      try {
        await redis.connect()
        const held = await redis.exists(Streams.order, Streams.payment, Streams.make, Streams.deadLetter)
        if (held > 0) throw new Error(`Redis at redis://127.0.0.1:${port} already holds starcoffee streams: give the live world an empty Redis`)
      } finally {
        redis.disconnect()
      }
      return port
    },
    catch: (e) => e as Error
  })

/** Uses a Toxiproxy server someone else runs with its API on 127.0.0.1:`port`, removing our old proxies. */
export const useToxiproxy = (port: number): Effect.Effect<number, Error> =>
  Effect.tryPromise({
    try: async () => {
      const api = `http://127.0.0.1:${port}`
      const version = await fetch(`${api}/version`).catch(() => undefined)
      if (!version?.ok) throw new Error(`the Toxiproxy server at ${api} does not answer /version`)
      const proxies = await (await fetch(`${api}/proxies`)).json() as Record<string, unknown>
      for (const name of Object.keys(proxies)) {
        if (/-to-/.test(name)) await fetch(`${api}/proxies/${encodeURIComponent(name)}`, { method: "DELETE" })
      }
      return port
    },
    catch: (e) => e as Error
  })
