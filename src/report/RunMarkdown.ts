/**
 * RunMarkdown: a run's summary.md, sized for a CI job summary or a pull-request comment — the
 * verdict, the checks, the headline figures and the command that replays the run.
 */
import { codeBlock, escapeMarkdown, table } from "./Markdown.js"
import type { RunReport } from "./ReportModel.js"
import { verdictText } from "./RunPage.js"

export const runMarkdown = (report: RunReport): string => {
  const { run, siege } = report
  const broken = run.invariants.filter((c) => !c.ok)
  return [
    `## ${run.ok ? "✅" : "❌"} ${escapeMarkdown(verdictText(run))} ${escapeMarkdown(report.scenario.name)} (seed ${run.seed}, ${escapeMarkdown(run.mode)})`,
    "",
    escapeMarkdown(report.scenario.description),
    "",
    `${run.invariants.length - broken.length} of ${run.invariants.length} checks hold` +
    (run.mutants.length > 0 ? `; mutants ${escapeMarkdown(run.mutants.join(", "))}` : "") +
    `; ${(run.simulatedMs / 1000).toFixed(1)} s ${run.mode === "sim" ? "simulated" : "of real time"} in ${(run.wallMs / 1000).toFixed(1)} s wall.`,
    "",
    table(["", "kind", "check", "detail"], run.invariants.map((c) => [c.ok ? "✓" : "✗", c.kind, c.name, c.detail])),
    "",
    table(
      ["Transactions", "Availability", "Response time", "Transaction rate", "Concurrency", "Longest", "Failed"],
      [[
        String(siege.transactions),
        `${siege.availability.toFixed(2)} %`,
        `${siege.responseSeconds.toFixed(3)} s`,
        `${siege.transactionRate.toFixed(2)}/s`,
        siege.concurrency.toFixed(2),
        `${siege.longestSeconds.toFixed(3)} s`,
        String(siege.failed)
      ]]
    ),
    "",
    `Breaker openings: ${run.metrics.breakerOpened ?? 0} · faults injected: ${report.series.faultWindows.length}` +
    (report.offenders.length > 0 ? ` · offending orders: ${report.offenders.map((o) => o.orderId).join(", ")}` : ""),
    "",
    "Replay:",
    "",
    codeBlock(report.replay),
    "",
    `Trace hash \`${(run.traceHash || "none").replace(/`/g, "")}\`${run.reproducible === false ? " (live run: not byte-reproducible)" : ""}. Details: index.html, result.json, junit.xml.`,
    ""
  ].join("\n")
}
