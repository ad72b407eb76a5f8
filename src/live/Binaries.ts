/**
 * Binaries: where the live world's real dependencies are — redis-server (Debian's package, 7.0 here)
 * and the Toxiproxy server (`go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0`, a binary
 * named `server` in $(go env GOPATH)/bin) — or one line saying which is missing and how to install it.
 * An environment variable (STARCOFFEE_REDIS_SERVER, STARCOFFEE_TOXIPROXY_SERVER) overrides the search.
 */
import { spawnSync } from "node:child_process"
import { accessSync, constants } from "node:fs"
import { homedir } from "node:os"
import { delimiter, join } from "node:path"

/** A dependency the live world needs is not installed. The message is one line: what, and how to install it. */
export class MissingBinary extends Error {
  override readonly name = "MissingBinary"
}

const REDIS_INSTALL = "install it with `sudo apt-get install redis-server` (or `npm run setup:live`), or set STARCOFFEE_REDIS_SERVER"
const TOXIPROXY_INSTALL =
  "install it with `go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0` (or `npm run setup:live`), or set STARCOFFEE_TOXIPROXY_SERVER"

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

const onPath = (name: string): Array<string> =>
  (process.env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, name))

const goBinDirs = (): Array<string> => {
  const dirs: Array<string> = []
  if (process.env.GOBIN) dirs.push(process.env.GOBIN)
  if (process.env.GOPATH) dirs.push(...process.env.GOPATH.split(delimiter).map((p) => join(p, "bin")))
  const go = spawnSync("go", ["env", "GOPATH"], { encoding: "utf8", timeout: 10_000 })
  if (go.status === 0 && go.stdout.trim()) dirs.push(...go.stdout.trim().split(delimiter).map((p) => join(p, "bin")))
  dirs.push(join(homedir(), "go", "bin"))
  return dirs
}

/** The binary answers `-version` as Toxiproxy's server does. */
const isToxiproxy = (path: string): boolean => {
  const run = spawnSync(path, ["-version"], { encoding: "utf8", timeout: 10_000 })
  return /toxiproxy/i.test(`${run.stdout}${run.stderr}`)
}

let redisPath: string | undefined
let toxiproxyPath: string | undefined

export const findRedisServer = (): string => {
  if (redisPath) return redisPath
  const override = process.env.STARCOFFEE_REDIS_SERVER
  const candidates = override ? [override] : [...onPath("redis-server"), "/usr/bin/redis-server", "/usr/local/bin/redis-server"]
  const found = candidates.find(executable)
  if (!found) throw new MissingBinary(`redis-server not found${override ? ` at ${override}` : ""}: ${REDIS_INSTALL}`)
  return (redisPath = found)
}

export const findToxiproxyServer = (): string => {
  if (toxiproxyPath) return toxiproxyPath
  const override = process.env.STARCOFFEE_TOXIPROXY_SERVER
  const candidates = override
    ? [override]
    : [...onPath("toxiproxy-server"), ...goBinDirs().map((dir) => join(dir, "server"))]
  const found = candidates.find((path) => executable(path) && isToxiproxy(path))
  if (!found) throw new MissingBinary(`the Toxiproxy server was not found${override ? ` at ${override}` : ""}: ${TOXIPROXY_INSTALL}`)
  return (toxiproxyPath = found)
}
