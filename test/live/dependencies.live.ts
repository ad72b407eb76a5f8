/**
 * The live suite's preflight and the harness name a missing dependency in one line, with the command
 * that installs it, and fail (the suite is never skipped).
 */
import { spawnSync } from "node:child_process"
import { join } from "node:path"
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
