/**
 * The explore tests' helpers: the compiled CLI run as a child process (without a shell, asynchronous
 * so that a minute-long exploration never blocks vitest's worker), and a small scenario file to
 * explore — happy-path with 3 users for 10 simulated seconds, so that shrinking stays affordable.
 */
import { spawn } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const root = join(__dirname, "..", "..")
const bin = join(root, "bin", "starcoffee.mjs")

export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (...args: Array<string>) =>
  new Promise<Ran>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { shell: false, timeout: 600_000 })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

/** Writes tiny.yaml into `dir` and returns its path. */
export const writeTinyScenario = (dir: string): string => {
  const file = join(dir, "tiny.yaml")
  const happy = readFileSync(join(root, "scenarios", "happy-path.yaml"), "utf8")
  writeFileSync(
    file,
    happy.replace("name: happy-path", "name: tiny").replace("users: 10", "users: 3").replace("durationMillis: 30000", "durationMillis: 10000")
  )
  return file
}
