// sim-vs-live: runs scenarios in both worlds through the command line (`run NAME --mode sim|live
// --json`) and prints them side by side — availability, p95, breaker openings, orders made — with
// the machine's load average. Run `npm run build` first. Usage:
//   node scripts/sim-vs-live.mjs [--time-scale S] [NAME ...]   (default: make-down slow-payment)
import { spawn } from "node:child_process"
import { loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const { values, positionals } = parseArgs({ options: { "time-scale": { type: "string" } }, allowPositionals: true })
const bin = fileURLToPath(new URL("../bin/starcoffee.mjs", import.meta.url))
const names = positionals.length > 0 ? positionals : ["make-down", "slow-payment"]

const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { shell: false, stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.on("data", (d) => (out += d))
    child.once("exit", () => resolve(JSON.parse(out)))
  })

const rows = []
for (const name of names) {
  for (const mode of ["sim", "live"]) {
    const load = loadavg()[0]
    const extra = mode === "live" && values["time-scale"] ? ["--time-scale", values["time-scale"]] : []
    const r = await run(["run", name, "--mode", mode, "--json", ...extra])
    rows.push({ name, mode, r, load })
    console.error(`${name} ${mode}: ${r.failureClass} in ${r.wallMs} ms`)
  }
}
console.log(JSON.stringify(rows.map(({ name, mode, r, load }) => ({ name, mode, load, failureClass: r.failureClass, wallMs: r.wallMs, metrics: r.metrics, invariants: r.invariants })), null, 2))
console.log("\n| scenario | world | class | transactions | availability | p95 ms | breaker opened | orders made | wall s | load (1 min) |")
console.log("|---|---|---|---|---|---|---|---|---|---|")
for (const { name, mode, r, load } of rows) {
  const m = r.metrics
  console.log(`| ${name} | ${mode} | ${r.failureClass} | ${m.transactions} | ${(m.availability * 100).toFixed(1)} % | ${m.p95Ms} | ${m.breakerOpened} | ${m.coffeesMade} | ${(r.wallMs / 1000).toFixed(1)} | ${load.toFixed(1)} |`)
}
