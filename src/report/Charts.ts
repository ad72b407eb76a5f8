/**
 * Charts: a run's time series as SVG, rendered at report time in Node by ECharts' server-side SVG
 * renderer (no browser, no DOM, synchronous). Every chart shares one time axis (seconds of the
 * run), one plot area, and the fault windows shaded and labelled on it; the breaker chart also
 * shades each window in which a breaker stood open. ECharts escapes the text it renders (labels,
 * legends, titles), so a fault or pod name from a run cannot inject markup.
 */
import { createRequire } from "node:module"
import type * as ECharts from "echarts"
import type { EChartsOption, LineSeriesOption } from "echarts"
import { breakerStates } from "./BreakerSeries.js"
import type { RunSeries, Steps, Window } from "./ReportModel.js"

// The prebuilt bundle loads in ~0.15 s; the ES module tree takes ~0.7 s (hundreds of files).
const echarts = createRequire(import.meta.url)("echarts") as typeof ECharts

export interface Chart {
  readonly id: string
  readonly title: string
  /** What the chart shows, in a sentence. */
  readonly caption: string
  readonly svg: string
}

const width = 960
const height = 260
const grid = { left: 64, right: 200, top: 36, bottom: 36 }
const faultColour = "rgba(230, 140, 0, 0.16)"
const openColour = "rgba(214, 39, 40, 0.22)"

const seconds = (ms: number) => Math.round(ms / 100) / 10

const render = (option: EChartsOption): string => {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height })
  try {
    chart.setOption({ animation: false, ...option })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** A markArea shading each window, its label at the top. */
const shade = (windows: ReadonlyArray<Window>, colour: string, endMs: number): LineSeriesOption["markArea"] => {
  // A window too short to see (a kill, a restart) is widened to a sliver of the axis.
  const minimum = endMs / 300
  return {
    silent: true,
    itemStyle: { color: colour },
    label: { show: true, position: "insideTop", fontSize: 10, color: "#5a3d00", overflow: "truncate", width: 160 },
    data: windows.map((w) => [
      { name: w.label, xAxis: seconds(w.startMs) },
      { xAxis: seconds(Math.max(w.endMs, w.startMs + minimum)) }
    ])
  }
}

const base = (title: string, endMs: number): EChartsOption => ({
  title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13 } },
  grid,
  legend: { type: "plain", orient: "vertical", right: 8, top: 32, textStyle: { fontSize: 11, width: 150, overflow: "truncate" } },
  xAxis: { type: "value", min: 0, max: seconds(endMs), name: "s", nameLocation: "end", splitLine: { show: false } },
  yAxis: { type: "value" }
})

type Point = [number, number | null]

const line = (name: string, data: ReadonlyArray<Point>, extra: Partial<LineSeriesOption> = {}): LineSeriesOption => ({
  type: "line",
  name,
  data: data as Array<Point>,
  showSymbol: false,
  connectNulls: false,
  lineStyle: { width: 1.5 },
  ...extra
})

const stepLine = (name: string, steps: Steps, extra: Partial<LineSeriesOption> = {}) =>
  line(name, steps.map(([t, v]) => [seconds(t), v] as Point), { step: "end", ...extra })

/** The first series carries the fault windows (an empty series when there is nothing else to carry them). */
const withFaults = (series: Array<LineSeriesOption>, series0Name: string, s: RunSeries): Array<LineSeriesOption> => {
  const first = series[0] ?? line(series0Name, [])
  return [{ ...first, markArea: shade(s.faultWindows, faultColour, s.endMs) }, ...series.slice(1)]
}

const throughputChart = (s: RunSeries): Chart => {
  const t = s.traffic.t.map((ms) => seconds(ms + s.traffic.bucketMs / 2))
  const at = (values: ReadonlyArray<number | null>): Array<Point> => values.map((v, i) => [t[i]!, v])
  return {
    id: "throughput",
    title: "Throughput and errors",
    caption: `POST /orders answered per second (buckets of ${s.traffic.bucketMs / 1000} s): accepted, refused, and unknown outcome.`,
    svg: render({
      ...base("Throughput and errors (POST /orders answered per second)", s.endMs),
      color: ["#2ca02c", "#d62728", "#7f7f7f"],
      series: withFaults([
        line("accepted", at(s.traffic.ok)),
        line("refused", at(s.traffic.fail)),
        line("unknown outcome", at(s.traffic.info))
      ], "accepted", s)
    })
  }
}

const latencyChart = (s: RunSeries): Chart => {
  const t = s.traffic.t.map((ms) => seconds(ms + s.traffic.bucketMs / 2))
  const at = (values: ReadonlyArray<number | null>): Array<Point> => values.map((v, i) => [t[i]!, v])
  return {
    id: "latency",
    title: "Response time",
    caption: "Response-time percentiles of POST /orders answered in each bucket, ms.",
    svg: render({
      ...base("Response time of POST /orders (ms): p50, p95, p99", s.endMs),
      color: ["#1f77b4", "#ff7f0e", "#9467bd"],
      series: withFaults([line("p50", at(s.traffic.p50)), line("p95", at(s.traffic.p95)), line("p99", at(s.traffic.p99))], "p50", s)
    })
  }
}

const breakerChart = (s: RunSeries): Chart => {
  const opened = s.breakers.reduce((n, b) => n + b.openings, 0)
  const series = withFaults(s.breakers.map((b) => stepLine(`${b.name} (opened ${b.openings}×)`, b.states)), "no breaker changed state", s)
  series.push(line("breaker open", [], { markArea: shade(s.breakerOpenWindows.map((w) => ({ ...w, label: "open" })), openColour, s.endMs) }))
  return {
    id: "breaker",
    title: "Circuit breakers",
    caption: s.breakers.length === 0
      ? "No breaker changed state: every breaker stayed Closed."
      : `Each breaker's state; shaded red while one stood open (${opened} openings).`,
    svg: render({
      ...base("Circuit breaker state", s.endMs),
      color: ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"],
      yAxis: {
        type: "value",
        min: 0,
        max: 2,
        interval: 1,
        axisLabel: { formatter: (v: number) => breakerStates[v] ?? "" }
      },
      series
    })
  }
}

const replicaChart = (s: RunSeries): Chart => {
  const palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"]
  const series: Array<LineSeriesOption> = []
  s.replicas.forEach((r, i) => {
    const colour = palette[i % palette.length]!
    series.push(stepLine(`${r.deployment} ready`, r.ready, { itemStyle: { color: colour }, lineStyle: { width: 2, color: colour } }))
    series.push(stepLine(`${r.deployment} total`, r.total, { itemStyle: { color: colour }, lineStyle: { width: 1, type: "dashed", color: colour } }))
  })
  return {
    id: "replicas",
    title: "Replicas",
    caption: "Pods per Deployment: ready (in the endpoints, solid) and total (existing, not terminating, dashed).",
    svg: render({
      ...base("Replicas per deployment (pods ready / total)", s.endMs),
      yAxis: { type: "value", minInterval: 1, min: 0, max: Math.max(1, ...s.replicas.flatMap((r) => r.total.map(([, n]) => n))) + 1 },
      series: withFaults(series, "replicas", s)
    })
  }
}

const backlogChart = (s: RunSeries): Chart | undefined => {
  const b = s.backlog
  if (!b) return undefined
  const t = b.t.map(seconds)
  const at = (values: ReadonlyArray<number>): Array<Point> => values.map((v, i) => [t[i]!, v])
  return {
    id: "backlog",
    title: "Outbox backlog and broker lag (messages)",
    caption: `Sampled every ${b.everyMillis / 1000} s: outbox rows not yet published, per service; broker entries never delivered to their group (lag) and delivered but not acknowledged (pending).`,
    svg: render({
      ...base("Outbox backlog and broker lag (messages)", s.endMs),
      yAxis: { type: "value", minInterval: 1 },
      series: withFaults([
        ...Object.entries(b.outbox).map(([service, values]) => line(`outbox ${service}`, at(values))),
        line("broker lag", at(b.brokerLag), { lineStyle: { width: 2 } }),
        line("broker pending", at(b.brokerPending), { lineStyle: { width: 1, type: "dashed" } })
      ], "outbox", s)
    })
  }
}

/** Every chart of a run, in page order; the backlog chart only when the run was sampled. */
export const runCharts = (s: RunSeries): ReadonlyArray<Chart> =>
  [throughputChart(s), latencyChart(s), breakerChart(s), replicaChart(s), backlogChart(s)].filter((c): c is Chart => c !== undefined)
