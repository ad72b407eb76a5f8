/**
 * The reports in a real browser: Debian's Chromium driven by playwright-core opens, from disk, the
 * report of a real simulated run (payment-down: a fault window, breaker openings) whose scenario
 * description and one check's detail carry `<script>` and `"><img onerror=…>`, and a suite index.
 * Every chart must render with a non-zero size; no console error, no script run, no request leaving
 * the page. The JUnit XML is parsed by the browser's own XML parser and its shape checked. Screenshots
 * land in reports/browser-test/. Never downloads a browser: a missing Chromium fails with how to install it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { catalogueFile } from "../../src/chaos/scenario/Catalogue.js"
import { readScenarioFile } from "../../src/chaos/scenario/ScenarioFile.js"
import type { Scenario } from "../../src/chaos/Scenario.js"
import { runReport } from "../../src/cli/ReportOut.js"
import type { RunReport } from "../../src/report/ReportModel.js"
import { writeRunReport, writeSuiteReport } from "../../src/report/WriteReports.js"
import { runScenarioSim } from "../../src/sim/world/SimRun.js"

const executablePath = "/usr/bin/chromium"
const screenshots = join(__dirname, "..", "..", "reports", "browser-test")
const script = "<script>document.title='pwned';window.pwned=1</script>"
const img = "\"><img src=x onerror=\"window.pwned=2\">"

const dir = mkdtempSync(join(tmpdir(), "starcoffee-browser-"))
let browser: Browser
let evil: RunReport
let plain: RunReport

/** A real run of a scenario file, as `starcoffee run FILE --out` would report it. */
const reported = (scenario: Scenario, seed: number): RunReport =>
  runReport({ ...runScenarioSim(scenario, { seed, keepHistory: true }), wallMs: 1 }, scenario)

beforeAll(() => {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium is missing at ${executablePath}: install it with 'bash scripts/ensure-chromium.sh' (apt-get install chromium chromium-driver)`)
  }
  // A user's scenario file whose description carries markup.
  const file = join(dir, "evil.yaml")
  const yaml = readFileSync(catalogueFile("payment-down"), "utf8").replace(/^name: .*$/m, "name: evil-payment-down")
    .replace(/^description: .*$/m, `description: ${JSON.stringify(`payment down ${script} ${img}`)}`)
  writeFileSync(file, yaml)
  const scenario = readScenarioFile(file)
  const real = reported(scenario, 1)
  // An error detail that carries markup too: the first check, reported broken.
  const [first, ...rest] = real.run.invariants
  evil = { ...real, run: { ...real.run, ok: false, failureClass: "safety", invariants: [{ ...first!, ok: false, detail: `${img} ${script}` }, ...rest] } }
  plain = real
}, 600_000)

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
  })
}, 120_000)

afterAll(async () => {
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Visit {
  readonly page: Page
  readonly errors: Array<string>
  readonly requests: Array<string>
}

/** Opens a file in a fresh page, recording console errors, page errors and every request. */
const visit = async (file: string): Promise<Visit> => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
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

/** Runs in the page: parses JUnit XML with DOMParser and describes its shape. */
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

describe("reports in Chromium", () => {
  it("a run's page: five charts rendered, no script run, nothing loaded from outside", async () => {
    const written = writeRunReport(join(dir, "run"), evil)
    const file = join(dir, "run", "index.html")
    const { errors, page, requests } = await visit(file)
    const charts = await chartSizes(page)
    expect(charts.length).toBeGreaterThanOrEqual(5)
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(0)
      expect(c.height).toBeGreaterThan(0)
      expect(c.shapes).toBeGreaterThan(10)
    }
    expect(written.charts).toBe(charts.length)
    expect(errors).toEqual([])
    expect(requests).toEqual([pathToFileURL(file).href])
    // The markup arrived as text: no element made from it, nothing run, the text shown as written.
    expect(await page.evaluate("typeof window.pwned")).toBe("undefined")
    expect(await page.title()).not.toContain("pwned")
    expect(await page.$$eval("script, img, [onerror]", (els) => els.length)).toBe(0)
    const text = await page.innerText("body")
    expect(text).toContain(`payment down ${script}`)
    expect(text).toContain(img)
    // The fault window and the breaker's openings are on the charts.
    expect(await page.$eval("#chart-throughput svg", (s) => s.textContent)).toContain("payment down")
    expect(evil.series.breakerOpenWindows.length).toBeGreaterThan(0)
    expect(await page.$eval("#chart-breaker svg", (s) => s.textContent)).toContain("open")
    mkdirSync(screenshots, { recursive: true })
    await page.screenshot({ path: join(screenshots, "run.png"), fullPage: true })
    await page.close()
  }, 120_000)

  it("a suite's index: the matrix links each run's report, which opens too", async () => {
    writeSuiteReport(join(dir, "suite"), [evil, { ...plain, run: { ...plain.run, scenario: "payment-down-again" } }], { seed: 1, wallMs: 2 })
    const file = join(dir, "suite", "index.html")
    const { errors, page, requests } = await visit(file)
    expect(await page.$$eval("#matrix tbody tr", (rows) => rows.length)).toBe(2)
    const links = await page.$$eval("#matrix a", (as) => as.map((a) => a.getAttribute("href") ?? ""))
    expect(links).toHaveLength(2)
    expect(await page.$$eval("script, img, [onerror]", (els) => els.length)).toBe(0)
    expect(errors).toEqual([])
    expect(requests).toEqual([pathToFileURL(file).href])
    await page.screenshot({ path: join(screenshots, "suite.png"), fullPage: true })
    await page.goto(new URL(links[1]!, pathToFileURL(file)).href, { waitUntil: "load" })
    expect((await chartSizes(page)).length).toBeGreaterThanOrEqual(5)
    expect(errors).toEqual([])
    await page.close()
  }, 120_000)

  it("junit.xml parses as XML with one suite per scenario and one case per check", async () => {
    const xml = readFileSync(join(dir, "suite", "junit.xml"), "utf8")
    const page = await browser.newPage()
    // The browser's own XML parser (written as a string: this project's TypeScript has no DOM types).
    const shape = await page.evaluate(`(${parseJUnit})(${JSON.stringify(xml)})`) as JUnitShape
    await page.close()
    expect(shape).not.toHaveProperty("error")
    expect(shape.root).toBe("testsuites")
    expect(shape.suites.map((s) => [s.tag, s.name])).toEqual([["testsuite", "evil-payment-down"], ["testsuite", "payment-down-again"]])
    for (const [i, report] of [evil, plain].entries()) {
      const suite = shape.suites[i]!
      expect(suite.tests).toBe(report.run.invariants.length)
      expect(suite.cases.map((c) => c.name)).toEqual(report.run.invariants.map((c) => c.name))
      expect(suite.cases.filter((c) => c.failure !== null)).toHaveLength(report.run.invariants.filter((c) => !c.ok).length)
      expect(suite.failures).toBe(report.run.invariants.filter((c) => !c.ok).length)
      for (const c of suite.cases) expect(c.classname).toMatch(/^starcoffee\./)
    }
    // The markup in the broken check's detail survives as text.
    expect(shape.suites[0]!.cases[0]!.failure).toBe(`${img} ${script}`)
    expect(shape.tests).toBe(evil.run.invariants.length + plain.run.invariants.length)
  }, 60_000)
})
