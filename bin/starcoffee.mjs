#!/usr/bin/env node
// The starcoffee command: runs the compiled CLI in dist/ (built by `npm ci` through the prepare
// script, or by `npm run build`). No TypeScript loader at run time.
import { existsSync } from "node:fs"

const main = new URL("../dist/src/cli/main.js", import.meta.url)
if (!existsSync(main)) {
  process.stderr.write("starcoffee: the compiled CLI is missing (dist/); run `npm run build` (npm ci builds it)\n")
  process.exit(2)
}
await import(main.href)
