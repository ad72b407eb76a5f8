/**
 * The live suite's preflight and the harness name a missing dependency in one line, with the command
 * that installs it, and fail (the suite is never skipped). `npm run setup:live` does nothing but say
 * so when both dependencies are there, and names what it cannot install, one line each.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(__dirname, "..", "..")
const preflight = (env: Record<string, string>) =>
  spawnSync(process.execPath, [join(root, "scripts", "live-preflight.mjs")], {
    encoding: "utf8",
    shell: false,
    env: { ...process.env, ...env }
  })

describe("live dependencies", () => {
  it("passes when redis-server and the Toxiproxy server are installed", () => {
    const r = preflight({})
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
  })

  it("a missing redis-server: one line naming it and how to install it, exit 1", () => {
    const r = preflight({ STARCOFFEE_REDIS_SERVER: "/nonexistent/redis-server" })
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/^test:live: redis-server not found at \/nonexistent\/redis-server: install it with `sudo apt-get install redis-server`/)
  })

  it("a missing Toxiproxy server: one line naming it and the pinned go install, exit 1", () => {
    const r = preflight({ STARCOFFEE_TOXIPROXY_SERVER: "/nonexistent/server" })
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split("\n")).toHaveLength(1)
    expect(r.stderr).toMatch(/Toxiproxy server was not found at \/nonexistent\/server: install it with `go install github\.com\/Shopify\/toxiproxy\/v2\/cmd\/server@v2\.12\.0`/)
  })
})

const setup = (env: Record<string, string | undefined>) =>
  spawnSync("bash", [join(root, "scripts", "setup-live.sh")], {
    encoding: "utf8",
    shell: false,
    env: { ...process.env, ...env }
  })

describe("npm run setup:live", () => {
  it("with both installed: installs nothing, says where each is, exit 0 (CI runs it every time)", () => {
    const r = setup({})
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^redis-server: already installed \(\S*redis-server, Redis server v=7/m)
    expect(r.stdout).toMatch(/^toxiproxy: already installed \(\S+\)$/m)
    expect(r.stdout).not.toMatch(/installing|apt-get update/)
  })

  it("binaries named by the environment that are not there: one line each, exit 1", () => {
    const r = setup({ STARCOFFEE_REDIS_SERVER: "/nonexistent/redis-server", STARCOFFEE_TOXIPROXY_SERVER: "/nonexistent/server" })
    expect(r.status).toBe(1)
    expect(r.stderr.trim().split("\n")).toEqual([
      "setup:live: redis-server not found at /nonexistent/redis-server (STARCOFFEE_REDIS_SERVER): point it at a redis-server binary, or unset it to install Debian's package",
      "setup:live: the Toxiproxy server was not found at /nonexistent/server (STARCOFFEE_TOXIPROXY_SERVER): point it at Toxiproxy's server binary, or unset it to install it with go"
    ])
  })

  it("no Toxiproxy and no Go to build it: one line naming both and the pinned go install, exit 1", () => {
    const home = mkdtempSync(join(tmpdir(), "starcoffee-setup-home-"))
    try {
      // the PATH without the directories holding go or a Toxiproxy server
      const path = (process.env.PATH ?? "").split(delimiter)
        .filter((dir) => !existsSync(join(dir, "go")) && !existsSync(join(dir, "server")) && !existsSync(join(dir, "toxiproxy-server")))
        .join(delimiter)
      const r = setup({ PATH: path, HOME: home, GOPATH: undefined, GOBIN: undefined })
      expect(r.status).toBe(1)
      expect(r.stderr.trim().split("\n")).toEqual([
        "setup:live: the Toxiproxy server is missing and Go is not installed: install Go (https://go.dev/dl/), then run `go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0`"
      ])
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })
})
