/**
 * The reports in a real browser: Debian's Chromium driven by playwright-core opens, from disk, the
 * report of a real run written by the command line (payment-down from a user's scenario file: a
 * fault window, breaker openings) whose scenario description and one check's detail carry `<script>`
 * and `"><img onerror=…>`, and the index `suite --out` writes. Every chart must render with a non-zero
 * size; no console error, no script run, no request leaving the page. JUnit XML is parsed by the
 * browser's own XML parser and its shape checked. Screenshots land in reports/browser-test/. Never
 * downloads a browser: a missing Chromium fails with how to install it. Needs the compiled CLI
 * (`npm test` builds it first).
 */
import { spawn } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { catalogueFile } from "../../src/chaos/scenario/Catalogue.js"
import type { RunReport } from "../../src/report/ReportModel.js"
import { fromResultJson, writeRunReport } from "../../src/report/WriteReports.js"

const executablePath = "/usr/bin/chromium"
const screenshots = join(__dirname, "..", "..", "reports", "browser-test")
const bin = join(__dirname, "..", "..", "bin", "starcoffee.mjs")
const script = "<script>document.title='pwned';window.pwned=1</script>"
const img = "\"><img src=x onerror=\"window.pwned=2\">"

const dir = mkdtempSync(join(tmpdir(), "starcoffee-browser-"))
let browser: Browser | undefined
let evil: RunReport

/** The command line as a user runs it (the compiled CLI, no shell), without blocking this process. */
const starcoffee = (...args: Array<string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { shell: false, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => stdout += d)
    child.stderr.on("data", (d) => stderr += d)
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

interface JUnitShape {
  readonly error?: string
  readonly root: string
  readonly tests: number
  readonly failures: number
  readonly suites: ReadonlyArray<{
    readonly tag: string
    readonly name: string | null
    readonly tests: number
    readonly failures: number
    readonly cases: ReadonlyArray<{ readonly name: string | null; readonly classname: string | null; readonly failure: string | null }>
  }>
}

/** Runs in the page (as a string: this project's TypeScript has no DOM types): parses JUnit XML with DOMParser. */
const parseJUnit = `function (text) {
  const doc = new DOMParser().parseFromString(text, "application/xml")
  if (doc.getElementsByTagName("parsererror").length > 0) return { error: doc.documentElement.textContent }
  const root = doc.documentElement
  return {
    root: root.tagName,
    tests: Number(root.getAttribute("tests")),
    failures: Number(root.getAttribute("failures")),
    suites: [...root.children].map((s) => ({
      tag: s.tagName,
      name: s.getAttribute("name"),
      tests: Number(s.getAttribute("tests")),
      failures: Number(s.getAttribute("failures")),
      cases: [...s.getElementsByTagName("testcase")].map((c) => ({
        name: c.getAttribute("name"),
        classname: c.getAttribute("classname"),
        failure: c.getElementsByTagName("failure")[0]?.getAttribute("message") ?? null
      }))
    }))
  }
}`

const junitShape = async (file: string): Promise<JUnitShape> => {
  const page = await browser!.newPage()
  try {
    return await page.evaluate(`(${parseJUnit})(${JSON.stringify(readFileSync(file, "utf8"))})`) as JUnitShape
  } finally {
    await page.close()
  }
}

interface Visit {
  readonly page: Page
  readonly errors: Array<string>
  readonly requests: Array<string>
}

/** Opens a file in a fresh page, recording console errors, page errors and every request. */
const visit = async (file: string): Promise<Visit> => {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 900 } })
  const errors: Array<string> = []
  const requests: Array<string> = []
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text())
  })
  page.on("pageerror", (e) => errors.push(e.message))
  page.on("request", (r) => requests.push(r.url()))
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" })
  return { page, errors, requests }
}

const chartSizes = (page: Page) =>
  page.$$eval("figure.chart svg", (svgs) => svgs.map((s) => {
    const box = s.getBoundingClientRect()
    return { width: box.width, height: box.height, shapes: s.querySelectorAll("path, rect, text").length }
  }))

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is missing at ${executablePath}: install it with 'bash scripts/ensure-chromium.sh' (apt-get install chromium chromium-driver)`)
  }
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
  })
  mkdirSync(screenshots, { recursive: true })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("reports in Chromium", () => {
  it("a run's page: five charts rendered, no script run, nothing loaded from outside", async () => {
    // A user's scenario file whose description carries markup, run and reported by the command line.
    const file = join(dir, "evil.yaml")
    const yaml = readFileSync(catalogueFile("payment-down"), "utf8").replace(/^name: .*$/m, "name: evil-payment-down")
      .replace(/^description: .*$/m, `description: ${JSON.stringify(`payment down ${script} ${img}`)}`)
    writeFileSync(file, yaml)
    const run = await starcoffee("run", file, "--seed", "1", "--out", join(dir, "cli-run"), "--json")
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    for (const name of ["index.html", "summary.md", "result.json", "junit.xml"]) expect(existsSync(join(dir, "cli-run", name))).toBe(true)
    const real = fromResultJson(JSON.parse(readFileSync(join(dir, "cli-run", "result.json"), "utf8")))
    expect(real.scenario.description).toContain(script)
    // An error detail that carries markup too: the first check, reported broken.
    const [first, ...rest] = real.run.invariants
    evil = { ...real, run: { ...real.run, ok: false, failureClass: "safety", invariants: [{ ...first!, ok: false, detail: `${img} ${script}` }, ...rest] } }
    const written = writeRunReport(join(dir, "run"), evil)

    const page = join(dir, "run", "index.html")
    const visited = await visit(page)
    const charts = await chartSizes(visited.page)
    expect(charts.length).toBeGreaterThanOrEqual(5)
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(0)
      expect(c.height).toBeGreaterThan(0)
      expect(c.shapes).toBeGreaterThan(10)
    }
    expect(written.charts).toBe(charts.length)
    expect(visited.errors).toEqual([])
    expect(visited.requests).toEqual([pathToFileURL(page).href])
    // The markup arrived as text: no element made from it, nothing run, the text shown as written.
    expect(await visited.page.evaluate("typeof window.pwned")).toBe("undefined")
    expect(await visited.page.title()).not.toContain("pwned")
    expect(await visited.page.$$eval("script, img, [onerror]", (els) => els.length)).toBe(0)
    const text = await visited.page.innerText("body")
    expect(text).toContain(`payment down ${script}`)
    expect(text).toContain(img)
    // The fault window and the breaker's openings are on the charts.
    expect(await visited.page.$eval("#chart-throughput svg", (s) => s.textContent)).toContain("payment down")
    expect(evil.series.breakerOpenWindows.length).toBeGreaterThan(0)
    expect(await visited.page.$eval("#chart-breaker svg", (s) => s.textContent)).toContain("open")
    await visited.page.screenshot({ path: join(screenshots, "run.png"), fullPage: true })
    await visited.page.close()

    // Its junit.xml: the broken check's failure carries the markup of its detail as text.
    const junit = await junitShape(join(dir, "run", "junit.xml"))
    expect(junit).not.toHaveProperty("error")
    expect(junit.failures).toBe(1)
    expect(junit.suites[0]!.cases[0]!.failure).toBe(`${img} ${script}`)
  }, 600_000)

  it("a suite's index: the matrix links each run's report, which opens too; its junit.xml has one suite per scenario", async () => {
    const out = join(dir, "suite")
    const suite = await starcoffee("suite", "--only", "happy-path,payment-down", "--seed", "1", "--jobs", "2", "--out", out)
    expect(suite.code).toBe(0)
    expect(suite.stdout).toContain(`report: ${join(out, "index.html")}`)
    const file = join(out, "index.html")
    const { errors, page, requests } = await visit(file)
    expect(await page.$$eval("#matrix tbody tr", (rows) => rows.length)).toBe(2)
    const links = await page.$$eval("#matrix a", (as) => as.map((a) => a.getAttribute("href") ?? ""))
    expect(links).toEqual(["happy-path/index.html", "payment-down/index.html"])
    expect(await page.$$eval("script, img, [onerror]", (els) => els.length)).toBe(0)
    expect(errors).toEqual([])
    expect(requests).toEqual([pathToFileURL(file).href])
    await page.screenshot({ path: join(screenshots, "suite.png"), fullPage: true })
    await page.goto(new URL(links[1]!, pathToFileURL(file)).href, { waitUntil: "load" })
    expect((await chartSizes(page)).length).toBeGreaterThanOrEqual(5)
    expect(errors).toEqual([])
    await page.close()

    const runs = (JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as { runs: Array<RunReport["run"]> }).runs
    const shape = await junitShape(join(out, "junit.xml"))
    expect(shape).not.toHaveProperty("error")
    expect(shape.root).toBe("testsuites")
    expect(shape.suites.map((s) => [s.tag, s.name])).toEqual([["testsuite", "happy-path"], ["testsuite", "payment-down"]])
    for (const [i, run] of runs.entries()) {
      const s = shape.suites[i]!
      expect(s.tests).toBe(run.invariants.length)
      expect(s.cases.map((c) => c.name)).toEqual(run.invariants.map((c) => c.name))
      expect(s.cases.filter((c) => c.failure !== null)).toHaveLength(run.invariants.filter((c) => !c.ok).length)
      expect(s.failures).toBe(run.invariants.filter((c) => !c.ok).length)
      for (const c of s.cases) expect(c.classname).toMatch(/^starcoffee\./)
    }
    expect(shape.tests).toBe(runs.reduce((n, r) => n + r.invariants.length, 0))
  }, 600_000)
})
