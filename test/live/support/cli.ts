/**
 * Runs the starcoffee command as a child process without blocking the test worker (a long
 * spawnSync starves vitest's own messages): exit code, stdout and stderr.
 */
import { spawn } from "node:child_process"
import { join } from "node:path"

const bin = join(__dirname, "..", "..", "..", "bin", "starcoffee.mjs")

export const starcoffee = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { shell: false, env: { ...process.env, ...env } })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.once("exit", (status) => resolve({ status, stdout, stderr }))
  })
