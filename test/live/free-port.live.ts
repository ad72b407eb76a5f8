/**
 * FreePort (src/live/FreePort.ts): the ports a live stack hands its replicas are free, distinct, and
 * below the kernel's ephemeral range, where no outgoing connection and no `listen(0)` can take one
 * between the check and the replica's own listen (a replica once failed to start with EADDRINUSE).
 */
import { readFileSync } from "node:fs"
import { createServer } from "node:net"
import { describe, expect, it } from "vitest"
import { checkPortFree, freePort } from "../../src/live/FreePort.js"

const ephemeralLow = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0])

describe("freePort", () => {
  it("hands out distinct ports below the ephemeral range that a server can listen on", async () => {
    const ports: Array<number> = []
    for (let i = 0; i < 200; i++) ports.push(await freePort())
    expect(new Set(ports).size).toBe(ports.length)
    for (const port of ports) expect(port).toBeLessThan(ephemeralLow)
    await Promise.all(ports.slice(0, 20).map((port) => checkPortFree(port)))
  })

  it("does not hand out a port a server is listening on", async () => {
    const servers = await Promise.all(Array.from({ length: 50 }, async () => {
      const port = await freePort()
      const server = createServer()
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
      return { server, port }
    }))
    try {
      const held = new Set(servers.map((s) => s.port))
      for (let i = 0; i < 200; i++) expect(held.has(await freePort())).toBe(false)
    } finally {
      await Promise.all(servers.map(({ server }) => new Promise((resolve) => server.close(resolve))))
    }
  })
})
