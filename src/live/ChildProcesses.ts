/**
 * ChildProcesses: every process the live harness starts (service replicas, redis-server, the
 * Toxiproxy server) is spawned here — without a shell — and remembered until it exits, so that none
 * outlives the harness: on exit (normal, or after an uncaught failure), and on SIGINT / SIGTERM (after which
 * the harness exits with 130 / 143), each remaining child gets SIGKILL (which also ends a child that
 * a Hang fault has stopped). Node replicas also exit by themselves when their IPC channel to the
 * harness closes, which covers a harness killed with SIGKILL.
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process"
import { rmSync } from "node:fs"

const alive = new Set<ChildProcess>()
/** Run directories to remove if the harness ends before their run does. */
const leftovers = new Set<string>()
let installed = false

const killAll = (): number => {
  const count = alive.size
  for (const child of alive) {
    try {
      child.kill("SIGKILL")
    } catch {
      // already gone
    }
  }
  alive.clear()
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true })
  leftovers.clear()
  return count
}

const onSignal = (signal: NodeJS.Signals, code: number) => () => {
  const killed = killAll()
  if (killed > 0) process.stderr.write(`starcoffee: ${signal}: stopped the ${killed} processes the harness had running\n`)
  process.exit(code)
}

const install = (): void => {
  if (installed) return
  installed = true
  process.on("exit", () => killAll())
  process.on("SIGINT", onSignal("SIGINT", 130))
  process.on("SIGTERM", onSignal("SIGTERM", 143))
}

/** Spawns a process (no shell) that the harness will not leave behind. */
export const spawnTracked = (command: string, args: ReadonlyArray<string>, options: SpawnOptions): ChildProcess => {
  install()
  const child = spawn(command, [...args], { ...options, shell: false })
  alive.add(child)
  child.once("exit", () => alive.delete(child))
  child.once("error", () => alive.delete(child))
  return child
}

/** A directory removed with the processes if the harness stops early; `keep` forgets it. */
export const removeOnExit = (dir: string): void => {
  install()
  leftovers.add(dir)
}
export const keep = (dir: string): void => {
  leftovers.delete(dir)
}

/** The pids of the processes started and not yet exited (for tests and reports). */
export const trackedPids = (): Array<number> => [...alive].map((c) => c.pid).filter((pid): pid is number => pid !== undefined)

/** Kills every tracked process now (a scope closing uses it as its last resort). */
export const killAllTracked = (): void => {
  killAll()
}
