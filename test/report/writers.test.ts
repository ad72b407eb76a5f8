/**
 * The writers on a handcrafted run whose strings carry markup: every file is written, the page holds
 * its five charts with the fault and breaker windows on them, and no string of the run reaches the
 * HTML, the Markdown or the XML unescaped. (The browser test checks the same page runs no script.)
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import type { HistoryEntry } from "../../src/chaos/history/History.js"
import { buildRunReport } from "../../src/report/BuildRunReport.js"
import { escapeHtml, html, raw } from "../../src/report/Html.js"
import { escapeXml } from "../../src/report/JUnit.js"
import { escapeMarkdown } from "../../src/report/Markdown.js"
import { folderName } from "../../src/report/ReportPaths.js"
import { fromResultJson, writeRunReport, writeSuiteReport } from "../../src/report/WriteReports.js"

const script = "<script>document.title='pwned'</script>"
const img = "\"><img src=x onerror=\"document.title='pwned'\">"

const history: Array<HistoryEntry> = [
  { t: 0, type: "cluster", action: "create", pod: "order-0" },
  { t: 0, type: "cluster", action: "ready", pod: "order-0" },
  { t: 0, type: "invoke", process: 0, op: "place" },
  { t: 400, type: "ok", process: 0, op: "place", orderId: 1, status: 201, latencyMs: 400 },
  { t: 1_000, type: "fault", phase: "start", fault: `partition ${script}` },
  { t: 1_200, type: "note", note: { _tag: "BreakerTransition", pod: "order-0", breaker: "order→payment", from: "Closed", to: "Open", reason: img } },
  { t: 1_300, type: "fail", process: 1, op: "place", status: 503, latencyMs: 10, detail: img },
  { t: 1_500, type: "event", stream: "make-events", eventId: "CoffeeMade:1", kind: `CoffeeMade${img}`, orderId: 1, pod: "make-0" },
  { t: 3_000, type: "fault", phase: "end", fault: `partition ${script}` }
]

const report = buildRunReport({
  run: {
    scenario: `evil${script}`,
    mode: "sim",
    seed: 3,
    ok: false,
    failureClass: "safety",
    traceHash: "0123abcd",
    simulatedMs: 5_000,
    wallMs: 100,
    mutants: [],
    invariants: [
      { name: "no coffee for a cancelled order", kind: "safety", ok: false, detail: `${img} 1 orders got coffee: 1` },
      { name: `threshold ${script}`, kind: "behaviour", ok: true, detail: "fine & dandy" }
    ],
    metrics: { breakerOpened: 1, p95Ms: 400 }
  },
  scenario: { name: `evil${script}`, description: `a scenario ${script} ${img}`, faults: [{ atMillis: 1_000, durationMillis: 2_000, description: `partition ${script}` }] },
  history,
  backlog: [1_000, 2_000, 3_000].map((t) => ({ t, outbox: { order: t / 1_000 }, brokerLag: 2, brokerPending: 1 }))
})

const dir = mkdtempSync(join(tmpdir(), "starcoffee-report-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("escaping", () => {
  it("html escapes every interpolation that is not markup it made", () => {
    expect(html`<p title="${img}">${script}</p>`.value).toBe(`<p title="${escapeHtml(img)}">&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;</p>`)
    expect(html`<p>${raw("<b>")}${["<", 1]}${undefined}</p>`.value).toBe("<p><b>&lt;1</p>")
  })

  it("Markdown and XML lose their markup too", () => {
    expect(escapeMarkdown(`a|b ${script}\n*x*`)).toBe("a\\|b &lt;script&gt;document.title='pwned'&lt;/script&gt; \\*x\\*")
    expect(escapeXml(`${img}\u0001`)).toBe("&quot;&gt;&lt;img src=x onerror=&quot;document.title=&apos;pwned&apos;&quot;&gt;\ufffd")
    expect(folderName("../../etc")).toBe("___.._etc")
  })
})

describe("a run's report", () => {
  const written = writeRunReport(dir, report)
  const page = readFileSync(join(dir, "index.html"), "utf8")

  it("writes the four files, with five charts on the page", () => {
    expect(Object.keys(written.files).sort()).toEqual(["index.html", "junit.xml", "result.json", "summary.md"])
    expect(written.charts).toBe(5)
    expect(page.match(/<figure class="chart"/g)).toHaveLength(5)
    expect(page.match(/<svg /g)).toHaveLength(5)
  })

  it("prints no string of the run unescaped", () => {
    expect(page).not.toMatch(/<script|<img|onerror="/i)
    expect(page).toContain("a scenario &lt;script&gt;")
    // Outside its fenced code block (which Markdown prints literally: the replay command is copied as is).
    const md = readFileSync(join(dir, "summary.md"), "utf8")
    expect(md).toContain("```\nstarcoffee run evil<script>")
    expect(md.replace(/```[^`]*```/g, "")).not.toMatch(/<script|<img/i)
    const xml = readFileSync(join(dir, "junit.xml"), "utf8")
    expect(xml).not.toMatch(/<script|<img/i)
  })

  it("shades the fault window and the breaker's open window, and tells the offending order's story", () => {
    expect(page).toContain("partition &lt;script&gt;")
    expect(page).toMatch(/>open</)
    expect(page).toContain("Order 1")
    expect(page).toContain("starcoffee run evil")
  })

  it("result.json is the run's JSON plus the series, and reads back into the same report", () => {
    const json = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"))
    expect(json.traceHash).toBe("0123abcd")
    expect(json.report.series.traffic.ok.length).toBe(5)
    expect(fromResultJson(json)).toEqual(JSON.parse(JSON.stringify(report)))
  })

  it("a suite links each run's report from its matrix", () => {
    const suite = writeSuiteReport(join(dir, "suite"), [report, { ...report, run: { ...report.run, scenario: "plain", ok: true }, scenario: { ...report.scenario, name: "plain" } }], { seed: 3, wallMs: 1 })
    expect(Object.keys(suite.files).sort()).toEqual(["index.html", "junit.xml", "result.json", "summary.md"])
    const index = readFileSync(join(dir, "suite", "index.html"), "utf8")
    expect(index).toContain(`href="${folderName(report.run.scenario)}/index.html"`)
    expect(index).toContain("href=\"plain/index.html\"")
    expect(index).not.toMatch(/<script|<img/i)
    expect(readFileSync(join(dir, "suite", "plain", "index.html"), "utf8")).toContain("plain")
  })
})
