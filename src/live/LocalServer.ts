/**
 * LocalServer: starts a dependency of the live world (redis-server, the Toxiproxy server) as a child
 * process (under a guardian, ChildProcesses.ts) on a free loopback port, waits until it answers, and stops it when the scope closes. A
 * server that exits before answering — its port taken meanwhile, a bad flag — is retried on another
 * port a few times, then reported in one line with the last thing it printed.
 */
import { Data, Effect, type Scope } from "effect"
import { closeSync, openSync, readFileSync } from "node:fs"
import { spawnGuarded, stopTracked } from "./ChildProcesses.js"
import { freePort } from "./FreePort.js"

export class LocalServerError extends Data.TaggedError("LocalServerError")<{ readonly message: string }> {}

export interface LocalServerSpec {
  /** What it is, for messages ("redis-server"). */
  readonly name: string
  readonly command: string
  readonly args: (port: number) => ReadonlyArray<string>
  /** Resolves true once the server answers on the port. */
  readonly answers: (port: number) => Promise<boolean>
  /** Where its output goes. */
  readonly logFile: string
  /** How long it may take to answer (real ms). Default: 10 000. */
  readonly startTimeoutMillis?: number
}

const lastLine = (file: string): string => {
  try {
    const lines = readFileSync(file, "utf8").split("\n").map((l) => l.trim()).filter(Boolean)
    return lines[lines.length - 1] ?? "(no output)"
  } catch {
    return "(no output)"
  }
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/** One attempt on one port: the pid when it answers, or why it did not. */
const attempt = async (spec: LocalServerSpec, port: number) => {
  const log = openSync(spec.logFile, "a")
  const child = spawnGuarded(spec.command, spec.args(port), { stdout: log, stderr: log })
  closeSync(log)
  let exited: string | undefined
  child.once("exit", (code, signal) => {
    exited = `exited (${signal ?? `code ${code}`})`
  })
  child.once("error", (error) => {
    exited = error.message
  })
  const deadline = Date.now() + (spec.startTimeoutMillis ?? 10_000)
  while (Date.now() < deadline) {
    if (exited !== undefined) return { ok: false as const, why: `${exited}: ${lastLine(spec.logFile)}` }
    if (await spec.answers(port).catch(() => false)) return { ok: true as const, child }
    await sleep(25)
  }
  stopTracked(child)
  return { ok: false as const, why: `did not answer on 127.0.0.1:${port} within ${spec.startTimeoutMillis ?? 10_000} ms` }
}

/** Starts the server; its port, until the scope closes (then it is killed). */
export const startLocalServer = (spec: LocalServerSpec): Effect.Effect<number, LocalServerError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        let why = ""
        for (let tries = 0; tries < 3; tries++) {
          const port = await freePort()
          const result = await attempt(spec, port)
          if (result.ok) return { port, child: result.child }
          why = result.why
        }
        throw new Error(why)
      },
      catch: (e) => new LocalServerError({ message: `${spec.name} did not start: ${(e as Error).message}` })
    }),
    ({ child }) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        stopTracked(child)
      })
  ).pipe(Effect.map(({ port }) => port))
