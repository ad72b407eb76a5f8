/**
 * ReplicaBundle: how the supervisor starts a replica process. A live run starts many (every kill is
 * a new process), and loading the compiled modules one by one costs a Node process about 2 s of CPU
 * here; the same code bundled into one file by esbuild (a development dependency, through tsx and
 * vitest) loads in about a quarter of that. So the first start of a run bundles
 * `dist/src/live/ReplicaEntry.js` into `dist/live-replica.mjs` when the bundle is missing or older
 * than any compiled file, and replicas run it; without esbuild they run `bin/starcoffee.mjs serve
 * --service NAME` — the same code, unbundled.
 */
import { existsSync, readdirSync, renameSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { ServiceName } from "../services/ports/ServiceDirectory.js"

export interface ReplicaCommand {
  readonly args: (service: ServiceName) => ReadonlyArray<string>
  /** What runs: the bundle, or the command line. */
  readonly kind: "bundle" | "cli"
}

/** The checkout's root: the directory above this file's that holds bin/starcoffee.mjs. */
const root = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "bin", "starcoffee.mjs"))) return dir
    dir = dirname(dir)
  }
  throw new Error("bin/starcoffee.mjs not found above " + fileURLToPath(import.meta.url))
}

const newestMtime = (dir: string): number => {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path))
    else if (entry.name.endsWith(".js")) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

const cli = (base: string): ReplicaCommand => ({
  kind: "cli",
  args: (service) => [join(base, "bin", "starcoffee.mjs"), "serve", "--service", service]
})

const build = async (base: string): Promise<ReplicaCommand> => {
  const entry = join(base, "dist", "src", "live", "ReplicaEntry.js")
  const bundle = join(base, "dist", "live-replica.mjs")
  if (!existsSync(entry)) return cli(base)
  const fresh = existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(base, "dist", "src"))
  if (!fresh) {
    let esbuild: typeof import("esbuild")
    try {
      esbuild = await import("esbuild")
    } catch {
      return cli(base)
    }
    const temporary = `${bundle}.${process.pid}.tmp`
    await esbuild.build({
      entryPoints: [entry],
      outfile: temporary,
      bundle: true,
      platform: "node",
      format: "esm",
      // native or dynamically loaded: resolved from node_modules at run time
      external: ["better-sqlite3", "ioredis"],
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      logLevel: "silent"
    })
    renameSync(temporary, bundle)
  }
  return { kind: "bundle", args: (service) => [bundle, service] }
}

let command: Promise<ReplicaCommand> | undefined

/** The command replicas run (bundled on first use when stale); the same for the whole process. */
export const replicaCommand = (): Promise<ReplicaCommand> => {
  if (!command) {
    const base = root()
    command = build(base).catch(() => cli(base))
  }
  return command
}
