/**
 * JUnit: JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters): one <testsuite>
 * per scenario run, one <testcase> per invariant and threshold, a <failure> for each broken one,
 * the seed, mode and trace hash as suite properties. A run's junit.xml holds one suite; a suite's
 * holds one per scenario.
 */
import type { RunSummary } from "./ReportModel.js"

// Characters XML 1.0 forbids even escaped: C0 controls other than tab, newline and return; lone surrogates; U+FFFE/U+FFFF.
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Text for an XML attribute value or text node. */
export const escapeXml = (text: string): string =>
  text.replace(forbidden, "\ufffd").replace(/[&<>"']/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "\"" ? "&quot;" : "&apos;"
  )

const attrs = (values: Record<string, string | number>) =>
  Object.entries(values).map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join("")

const testsuite = (run: RunSummary): string => {
  const failures = run.invariants.filter((c) => !c.ok).length
  const cases = run.invariants.map((c) => {
    const head = `    <testcase${attrs({ name: c.name, classname: `starcoffee.${run.scenario}.${c.kind}`, time: 0 })}`
    if (c.ok) return `${head}/>`
    return `${head}>\n      <failure${attrs({ message: c.detail, type: c.kind })}>${escapeXml(`${c.kind} check broken: ${c.name}\n${c.detail}`)}</failure>\n    </testcase>`
  })
  const properties = [
    ["seed", String(run.seed)],
    ["mode", run.mode],
    ["traceHash", run.traceHash],
    ["failureClass", run.failureClass ?? (run.ok ? "pass" : "fail")],
    ["simulatedMs", String(run.simulatedMs)],
    ...run.mutants.map((m) => ["mutant", m])
  ].map(([name, value]) => `      <property${attrs({ name: name!, value: value! })}/>`)
  return [
    `  <testsuite${attrs({ name: run.scenario, tests: run.invariants.length, failures, errors: 0, skipped: 0, time: (run.wallMs / 1000).toFixed(3) })}>`,
    "    <properties>",
    ...properties,
    "    </properties>",
    ...cases,
    "  </testsuite>"
  ].join("\n")
}

/** A JUnit XML document with one test suite per run. */
export const junitXml = (runs: ReadonlyArray<RunSummary>, name = "starcoffee"): string => {
  const tests = runs.reduce((n, r) => n + r.invariants.length, 0)
  const failures = runs.reduce((n, r) => n + r.invariants.filter((c) => !c.ok).length, 0)
  const time = runs.reduce((n, r) => n + r.wallMs, 0) / 1000
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${attrs({ name, tests, failures, errors: 0, time: time.toFixed(3) })}>`,
    ...runs.map(testsuite),
    "</testsuites>",
    ""
  ].join("\n")
}
