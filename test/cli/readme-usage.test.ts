/**
 * The README's command table is the CLI's own usage lines: every command's `Usage:` line (from
 * src/cli/CommandSpecs.ts, as `--help` prints it) appears in README.md word for word, so the README
 * cannot drift from the flags the commands take.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as Specs from "../../src/cli/CommandSpecs.js"

const commandSpecs = Object.values(Specs)

const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8")

describe("README command table", () => {
  it.each(commandSpecs.map((spec) => [spec.name, spec.usage]))("lists `%s` with its usage line", (_name, usage) => {
    expect(readme).toContain(usage)
  })
})
