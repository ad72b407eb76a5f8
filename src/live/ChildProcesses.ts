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
/** Guardians: stopped with SIGTERM (SIGKILL would leave their server behind). */
const guardians = new Set<ChildProcess>()
/** Run directories to remove if the harness ends before their run does. */
const leftovers = new Set<string>()
let installed = false

const killAll = (): number => {
  const count = alive.size
  for (const child of alive) {
    try {
      child.kill(guardians.has(child) ? "SIGTERM" : "SIGKILL")
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

/**
 * The guardian: runs the server as its child (same output), exits with it, and kills it with SIGKILL
 * when the harness's IPC channel closes or SIGTERM arrives.
 */
const GUARDIAN = `
const { spawn } = require("node:child_process")
const [command, ...args] = JSON.parse(process.argv[1])
const server = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] })
const stop = () => { server.kill("SIGKILL") }
process.on("disconnect", stop)
process.on("SIGTERM", stop)
process.on("SIGINT", stop)
server.on("error", (e) => { console.error(e.message); process.exit(127) })
server.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGKILL" ? 137 : 1)))
`

/**
 * Spawns a program that does not watch its parent (redis-server, Toxiproxy) under a guardian, so
 * that it dies with the harness however the harness ends. Stop it with `stopGuarded`.
 */
export const spawnGuarded = (
  command: string,
  args: ReadonlyArray<string>,
  output: { readonly stdout: number; readonly stderr: number }
): ChildProcess => {
  const child = spawnTracked(process.execPath, ["-e", GUARDIAN, JSON.stringify([command, ...args])], {
    stdio: ["ignore", output.stdout, output.stderr, "ipc"]
  })
  guardians.add(child)
  child.once("exit", () => guardians.delete(child))
  return child
}

/** Stops a process: its server with it for a guardian, at once for anything else. */
export const stopTracked = (child: ChildProcess): void => {
  child.kill(guardians.has(child) ? "SIGTERM" : "SIGKILL")
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
