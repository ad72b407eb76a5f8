/**
 * Determinism guard (DESIGN.md §4): nothing in the simulated paths may read the real clock, real
 * randomness or schedule on real timers. Scans src/domain, src/services, src/sim, src/chaos and
 * src/report for the forbidden calls, ignoring comments; a self-test proves the scanner sees each one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("..", import.meta.url))
const scanned = ["src/domain", "src/services", "src/sim", "src/chaos", "src/report"]

/** The forbidden patterns, each named. */
const forbidden: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  ["Date.now", /\bDate\s*\.\s*now\b/],
  ["new Date()", /\bnew\s+Date\s*\(\s*\)/],
  ["Date() called as a function", /(?<![\w.$]|new\s)Date\s*\(\s*\)/],
  ["Math.random", /\bMath\s*\.\s*random\b/],
  ["setTimeout", /\bsetTimeout\b/],
  ["setInterval", /\bsetInterval\b/],
  ["setImmediate", /\bsetImmediate\b/],
  ["performance.now", /\bperformance\s*\.\s*now\b/],
  ["process.hrtime", /\bprocess\s*\.\s*hrtime\b/],
  ["randomUUID", /\brandomUUID\b/]
]

/**
 * Removes comments (block, line and JSDoc) while keeping line numbers and string contents: a
 * forbidden name mentioned in a comment is documentation, not a call.
 */
const stripComments = (source: string): string => {
  let out = ""
  let i = 0
  let quote: string | undefined
  while (i < source.length) {
    const c = source[i]!
    const next = source[i + 1]
    if (quote !== undefined) {
      out += c
      if (c === "\\") {
        out += next ?? ""
        i += 2
        continue
      }
      if (c === quote) quote = undefined
      i++
    } else if (c === "/" && next === "/") {
      while (i < source.length && source[i] !== "\n") i++
    } else if (c === "/" && next === "*") {
      i += 2
      while (i < source.length && !(source[i] === "*" && source[i + 1] === "/")) {
        if (source[i] === "\n") out += "\n"
        i++
      }
      i += 2
    } else {
      if (c === "\"" || c === "'" || c === "`") quote = c
      out += c
      i++
    }
  }
  return out
}

interface Violation {
  readonly file: string
  readonly line: number
  readonly name: string
  readonly text: string
}

/** Every forbidden call in `source`, by line. */
const scanSource = (file: string, source: string): Array<Violation> => {
  const violations: Array<Violation> = []
  const lines = stripComments(source).split("\n")
  lines.forEach((text, index) => {
    for (const [name, pattern] of forbidden) {
      if (pattern.test(text)) violations.push({ file, line: index + 1, name, text: text.trim() })
    }
  })
  return violations
}

const sourceFiles = (dir: string): Array<string> => {
  if (!existsSync(dir)) return []
  const out: Array<string> = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path))
    else if (/\.(ts|mts|cts|js|mjs)$/.test(name) && !name.endsWith(".d.ts")) out.push(path)
  }
  return out
}

describe("determinism guard", () => {
  it("finds no real clock, real randomness or real timers in the simulated code paths", () => {
    const files = scanned.flatMap((dir) => sourceFiles(join(root, dir)))
    expect(files.length).toBeGreaterThan(20)
    const violations = files.flatMap((file) => scanSource(relative(root, file), readFileSync(file, "utf8")))
    expect(violations.map((v) => `${v.file}:${v.line} ${v.name}: ${v.text}`)).toEqual([])
  })

  it("self-test: the scanner catches each forbidden pattern", () => {
    const samples: ReadonlyArray<readonly [string, string]> = [
      ["const t = Date.now()", "Date.now"],
      ["const t = Date . now ()", "Date.now"],
      ["const d = new Date()", "new Date()"],
      ["const d = new Date( )", "new Date()"],
      ["const s = Date()", "Date() called as a function"],
      ["const r = Math.random() * 10", "Math.random"],
      ["setTimeout(() => done(), 10)", "setTimeout"],
      ["const h = setInterval(tick, 1000)", "setInterval"],
      ["setImmediate(next)", "setImmediate"],
      ["globalThis.setTimeout(f)", "setTimeout"],
      ["const p = performance.now()", "performance.now"],
      ["const [s, ns] = process.hrtime()", "process.hrtime"],
      ["const n = process.hrtime.bigint()", "process.hrtime"],
      ["const id = crypto.randomUUID()", "randomUUID"],
      ["import { randomUUID } from \"node:crypto\"", "randomUUID"]
    ]
    for (const [source, name] of samples) {
      expect(scanSource("sample.ts", source).map((v) => v.name), source).toContain(name)
    }
    // every pattern is exercised by at least one sample
    const caught = new Set(samples.flatMap(([source]) => scanSource("s.ts", source).map((v) => v.name)))
    expect([...caught].sort()).toEqual(forbidden.map(([name]) => name).sort())
  })

  it("self-test: comments and allowed uses are not flagged, and line numbers are kept", () => {
    const allowed = [
      "// Date.now() is forbidden here",
      "/* Math.random, setTimeout */ const x = 1",
      "/**\n * performance.now() and process.hrtime()\n */",
      "const d = new Date(epochMillis)",
      "const t = DateTime.unsafeMake(0)",
      "const r = yield* Random.next",
      "const url = \"http://a//b\" // Date.now"
    ]
    for (const source of allowed) expect(scanSource("ok.ts", source), source).toEqual([])
    const found = scanSource("x.ts", "/* a\n b */\nconst ok = 1\nconst bad = Date.now()")
    expect(found).toEqual([{ file: "x.ts", line: 4, name: "Date.now", text: "const bad = Date.now()" }])
  })
})
