/**
 * ServeAll: `starcoffee serve --service all` — the whole live stack (LiveStack.ts) for a user to send
 * requests to: it prints where the gateway, Redis and the Toxiproxy API listen, then runs until
 * SIGINT or SIGTERM, when every process it started is stopped (ChildProcesses.ts). A stack that
 * cannot start is one line on stderr and exit code 2.
 */
import { Cause, Effect, Exit, Option } from "effect"
import { startLiveStack } from "./LiveStack.js"

export interface ServeAllOptions {
  readonly gatewayPort: number
  readonly scale: number
  /** A Redis / Toxiproxy API already running on 127.0.0.1 to use instead of starting one. */
  readonly redisPort?: number
  readonly toxiproxyPort?: number
}

export const serveAll = (options: ServeAllOptions): Promise<number> =>
  new Promise((resolve) => {
    const program = Effect.scoped(Effect.gen(function*() {
      const stack = yield* startLiveStack({
        timeScale: options.scale,
        gatewayPort: options.gatewayPort,
        keepFiles: true,
        ...(options.redisPort === undefined ? {} : { redisPort: options.redisPort }),
        ...(options.toxiproxyPort === undefined ? {} : { toxiproxyPort: options.toxiproxyPort })
      })
      const gateway = stack.supervisor.directoryFor("client").gateway?.[0] ?? "(none)"
      process.stdout.write(
        [
          `gateway   ${gateway}`,
          `redis     redis://127.0.0.1:${stack.redisPort}`,
          `toxiproxy http://127.0.0.1:${stack.toxiproxyPort}`,
          `files     ${stack.runDir}`,
          "Ctrl-C stops everything."
        ].join("\n") + "\n"
      )
      return yield* Effect.never
    }))
    Effect.runFork(program).addObserver((exit) => {
      if (Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)) {
        const error = Option.getOrUndefined(Cause.failureOption(exit.cause)) ?? Cause.squash(exit.cause)
        process.stderr.write(`starcoffee serve: ${error instanceof Error ? error.message : String(error)}\n`)
        resolve(2)
      } else {
        resolve(0)
      }
    })
  })
