/**
 * `npm run profile`: runs the full-stack slow-payment siege under clinic flame (a real profiler
 * process wrapping a real Node child) and leaves the flame graph under reports/profile/.
 * Child processes are spawned without a shell.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
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
  { cwd: root, stdio: "inherit", shell: false }
)
if (result.status !== 0) {
  process.stderr.write(`starcoffee profile: clinic exited with ${result.status ?? result.signal}\n`)
}
process.stderr.write(`starcoffee profile: flame graph written under ${dest}\n`)
process.exit(result.status === 0 || result.status === 1 ? 0 : 1)
