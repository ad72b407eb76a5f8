/**
 * FreePort: a TCP port on 127.0.0.1 that nothing listens on right now (the kernel's choice for port
 * 0). Another process could take it before it is used; callers that start a server on it retry with
 * a new one when the server reports the address in use. And whether a given port is free.
 */
import { createServer } from "node:net"

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port on 127.0.0.1"))))
    })
  })

/** Resolves when `port` on 127.0.0.1 can be listened on; rejects with "port N on 127.0.0.1 is in use" otherwise. */
export const checkPortFree = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === "EADDRINUSE" ? `port ${port} on 127.0.0.1 is in use` : `port ${port} on 127.0.0.1: ${error.message}`)))
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()))
  })
