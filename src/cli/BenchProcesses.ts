/**
 * BenchProcesses: the benchmark's measurements of whole commands, as a user runs them — real child
 * processes of the compiled CLI (spawned without a shell), timed on the wall clock.
 */
import { spawn, spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const bin = fileURLToPath(new URL("../../../bin/starcoffee.mjs", import.meta.url))

const median = (xs: Array<number>) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

const timeSync = (args: ReadonlyArray<string>): number => {
  const started = performance.now()
  const r = spawnSync(process.execPath, args, { stdio: "ignore", shell: false })
  if (r.status !== 0) throw new Error(`bench: node ${args.join(" ")} exited ${r.status}`)
  return performance.now() - started
}

/** `starcoffee --help` and `node -e 0`, interleaved, median of `n` each, in ms. */
export const measureCliStartup = (n: number) => {
  const help: Array<number> = []
  const node: Array<number> = []
  timeSync([bin, "--help"])
  for (let i = 0; i < n; i++) {
    help.push(timeSync([bin, "--help"]))
    node.push(timeSync(["-e", "0"]))
  }
  return { helpMs: Math.round(median(help)), nodeMs: Math.round(median(node)) }
}

const runSuite = (seed: number, jobs: number) =>
  new Promise<{ ms: number; hashes: Array<string>; ok: boolean }>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [bin, "suite", "--json", "--seed", String(seed), "--jobs", String(jobs)], {
      shell: false,
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (chunk) => (out += chunk))
    child.on("error", reject)
    child.on("close", (code) => {
      const ms = performance.now() - started
      const results = out.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { traceHash: string; ok: boolean })
      if (code !== 0 && code !== 1) return reject(new Error(`bench: suite --jobs ${jobs} exited ${code}`))
      resolve({ ms, hashes: results.map((r) => r.traceHash), ok: results.every((r) => r.ok) })
    })
  })

/** The whole suite at --jobs 1, then at --jobs 2, with whether the trace hashes agree. */
export const measureSuite = async (seed: number) => {
  const one = await runSuite(seed, 1)
  const two = await runSuite(seed, 2)
  return {
    jobs1Ms: Math.round(one.ms),
    jobs2Ms: Math.round(two.ms),
    sameTraceHashes: one.hashes.length > 0 && one.hashes.join() === two.hashes.join(),
    scenarios: one.hashes.length,
    allPassed: one.ok && two.ok
  }
}
