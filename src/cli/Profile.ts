/**
 * `npm run profile`: runs the full-stack slow-payment siege under clinic flame (a real profiler
 * process wrapping a real Node child) and leaves the flame graph under reports/profile/.
 * Child processes are spawned without a shell.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const clinic = join(root, "node_modules", ".bin", "clinic")
if (!existsSync(clinic)) {
  process.stderr.write("starcoffee profile: clinic is not installed; run `npm ci` (it is a dev dependency)\n")
  process.exit(2)
}
const dest = join(root, "reports", "profile")
mkdirSync(dest, { recursive: true })
const scenario = process.argv[2] ?? "slow-payment"
const result = spawnSync(
  clinic,
  [
    "flame",
    "--open=false",
    `--dest=${dest}`,
    "--",
    process.execPath,
    "--import",
    "tsx",
    join(root, "src", "cli", "main.ts"),
    "run",
    scenario,
    "--json"
  ],
  // NO_INSIGHT: clinic otherwise asks about telemetry and, with no terminal, silently does nothing.
  { cwd: root, stdio: "inherit", shell: false, env: { ...process.env, NO_INSIGHT: "true" } }
)
const written = readdirSync(dest).filter((f) => f.endsWith(".clinic-flame.html"))
if (result.status !== 0 || written.length === 0) {
  process.stderr.write(`starcoffee profile: clinic exited with ${result.status ?? result.signal} and wrote no flame graph\n`)
  process.exit(1)
}
process.stderr.write(`starcoffee profile: flame graph written: ${join(dest, written.sort().at(-1)!)}\n`)
