// live-preflight: the live suite's first step. Fails, in one line naming what is missing and how to
// install it, when redis-server or the Toxiproxy server cannot be found (never a skipped suite).
import { findRedisServer, findToxiproxyServer } from "../dist/src/live/Binaries.js"

try {
  findRedisServer()
  findToxiproxyServer()
} catch (error) {
  process.stderr.write(`test:live: ${error.message}\n`)
  process.exit(1)
}
