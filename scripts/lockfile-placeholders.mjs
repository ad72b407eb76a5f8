#!/usr/bin/env node
// Adds placeholder entries to package-lock.json for optional platform packages the registry cannot
// serve (this machine's npm registry lacks e.g. rollup's and msgpackr-extract's binaries for other
// platforms). npm install leaves them out of the lockfile, and `npm ci` then refuses the lockfile
// as out of sync (npm/cli#4828). Run after any `npm install` that rewrites the lockfile.
import { createRequire } from "node:module"
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const npmRoot = execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim()
const require = createRequire(join(npmRoot, "npm", "package.json"))
const Arborist = require("@npmcli/arborist")

const arb = new Arborist({ path: process.cwd() })
await arb.buildIdealTree()
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"))
let added = 0
for (const [location, node] of arb.idealTree.inventory.entries()) {
  if (node.optional && !node.version && node.errors?.length && !lock.packages[location]) {
    lock.packages[location] = { version: "", optional: true }
    added++
  }
}
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n")
console.log(`lockfile: ${added} placeholder entries added for optional packages the registry does not serve`)

