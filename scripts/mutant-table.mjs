#!/usr/bin/env node
/**
 * mutant-table: how well `explore` finds every mutant of the registry (issue #10's closing table).
 *
 * For every mutant M (`starcoffee list --mutants --json`) and seed S, runs
 *   starcoffee explore random --runs R --seed S --mutant M --jobs J --json
 * and then, without a mutant, `explore random --runs N --seed 1` (which must find nothing), and
 * prints a Markdown table: per mutant, in how many seeds it was found, the median samples to find it
 * (failure.index + 1), the median shrunk schedule (extra faults) and the median shrunk workload
 * (users × seconds).
 *
 * Each exploration's JSON is kept in the results directory (one file per mutant and seed), so an
 * interrupted table resumes where it stopped: a kept result is used again when it answers the same
 * question (found within R runs, or missed in at least R). `--fresh` ignores kept results. Every kept
 * result names the commit it ran on; the table says when they differ. `--kept-only` runs nothing and
 * prints the table of the kept results (cells not run yet are counted as not run).
 *
 * Runs the compiled CLI (`npm run build` first). Children are spawned without a shell and killed if
 * this script is interrupted. Exit code: 0 every mutant found in every seed and nothing found without
 * one; 1 otherwise; 2 bad usage.
 *
 * Usage: node scripts/mutant-table.mjs [--seeds 1-5] [--runs 300] [--no-mutant-runs 1000]
 *          [--mutants a,b] [--scenario random] [--jobs 1] [--parallel 1] [--results DIR] [--fresh | --kept-only]
 */
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const cli = join(root, "bin", "starcoffee.mjs")

const usage = "usage: node scripts/mutant-table.mjs [--seeds 1-5] [--runs 300] [--no-mutant-runs 1000] [--mutants a,b] " +
  "[--scenario random] [--jobs 1] [--parallel 1] [--results DIR] [--fresh | --kept-only]"

const fail = (message) => {
  process.stderr.write(`mutant-table: ${message}\n${usage}\n`)
  process.exit(2)
}

const positive = (flag, text) => {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) fail(`${flag} wants a whole number, got "${text}"`)
  return n
}

/** "1-5" or "1,3,7" → [1, 2, 3, 4, 5] / [1, 3, 7]. */
const seedList = (text) => {
  const range = /^(\d+)-(\d+)$/.exec(text)
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])]
    if (to < from) fail(`--seeds ${text}: empty range`)
    return Array.from({ length: to - from + 1 }, (_, i) => from + i)
  }
  return text.split(",").map((s) => positive("--seeds", s))
}

const parseArgs = (argv) => {
  const o = {
    seeds: [1, 2, 3, 4, 5],
    runs: 300,
    noMutantRuns: 1000,
    mutants: undefined,
    scenario: "random",
    jobs: 1,
    parallel: 1,
    results: join(root, "reports", "mutant-table"),
    fresh: false,
    keptOnly: false
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) fail(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case "--seeds": o.seeds = seedList(value()); break
      case "--runs": o.runs = positive(flag, value()); break
      case "--no-mutant-runs": o.noMutantRuns = positive(flag, value()); break
      case "--mutants": o.mutants = value().split(",").filter((m) => m !== ""); break
      case "--scenario": o.scenario = value(); break
      case "--jobs": o.jobs = Math.max(1, positive(flag, value())); break
      case "--parallel": o.parallel = Math.max(1, positive(flag, value())); break
      case "--results": o.results = resolve(value()); break
      case "--fresh": o.fresh = true; break
      case "--kept-only": o.keptOnly = true; break
      case "--help": case "-h": process.stdout.write(`${usage}\n`); process.exit(0); break
      default: fail(`unknown argument "${flag}"`)
    }
  }
  if (o.runs === 0) fail("--runs must be at least 1")
  return o
}

const commit = () => {
  const r = spawnSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: root, encoding: "utf8" })
  return r.status === 0 ? r.stdout.trim() : "unknown"
}

const registry = () => {
  const r = spawnSync(process.execPath, [cli, "list", "--mutants", "--json"], { cwd: root, encoding: "utf8" })
  if (r.status !== 0) fail(`starcoffee list --mutants failed (did you run npm run build?): ${r.stderr.trim().split("\n")[0]}`)
  return JSON.parse(r.stdout).map((m) => m.name)
}

/** Children still running, killed if this script is interrupted. */
const children = new Set()
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    for (const child of children) child.kill("SIGKILL")
    process.exit(130)
  })
}

/** Runs one exploration; resolves with its parsed JSON and how it ended. */
const explore = (o, seed, runs, mutant) =>
  new Promise((done, reject) => {
    const args = [cli, "explore", o.scenario, "--runs", String(runs), "--seed", String(seed), "--jobs", String(o.jobs), "--json"]
    if (mutant !== undefined) args.push("--mutant", mutant)
    const started = Date.now()
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
    children.add(child)
    let out = ""
    let err = ""
    child.stdout.setEncoding("utf8").on("data", (d) => (out += d))
    child.stderr.setEncoding("utf8").on("data", (d) => (err += d))
    child.on("error", reject)
    child.on("close", (code) => {
      children.delete(child)
      if (code !== 0 && code !== 1) {
        reject(new Error(`explore ${mutant ?? "(no mutant)"} --seed ${seed} exited ${code}: ${err.trim().split("\n").slice(-1)[0]}`))
        return
      }
      try {
        done({ result: JSON.parse(out), exit: code, wallMs: Date.now() - started })
      } catch {
        reject(new Error(`explore ${mutant ?? "(no mutant)"} --seed ${seed}: unparsable output`))
      }
    })
  })

/** The failure's summary: what the table needs, kept beside the whole result. */
const summarize = (result) => {
  const f = result.failure
  return f == null ? { found: false, runs: result.runs } : {
    found: true,
    runs: result.runs,
    samplesToFind: f.index + 1,
    invariant: f.invariant,
    scheduleSize: f.schedule.length,
    users: f.workload?.users ?? null,
    seconds: f.workload ? f.workload.durationMillis / 1000 : null,
    shrinkCut: f.shrinkCut === true,
    replay: f.replay
  }
}

/** A kept result that answers "within `runs` samples?" the same way a new one would. */
const kept = (file, runs, fresh) => {
  if (fresh || !existsSync(file)) return undefined
  const k = JSON.parse(readFileSync(file, "utf8"))
  const s = k.summary
  if (s.found ? s.samplesToFind <= runs : s.runs >= runs) return k
  return undefined
}

const keep = (file, record) => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record)}\n`)
  renameSync(`${file}.tmp`, file)
}

/** Runs (or reads back) one cell of the table. */
const cell = async (o, head, seed, runs, mutant) => {
  const file = join(o.results, mutant ?? "no-mutant", `seed-${seed}.json`)
  const old = kept(file, runs, o.fresh)
  if (old) return { ...old, cached: true }
  if (o.keptOnly) return { mutant: mutant ?? null, seed, notRun: true }
  const { result, exit, wallMs } = await explore(o, seed, runs, mutant)
  const record = { mutant: mutant ?? null, seed, runsAsked: runs, commit: head, exit, wallMs, summary: summarize(result), result }
  keep(file, record)
  return { ...record, cached: false }
}

/** Runs tasks `parallel` at a time, in order of submission. */
const pool = async (tasks, parallel) => {
  const results = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]()
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, worker))
  return results
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b)
  if (s.length === 0) return undefined
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

const show = (x) => (x === undefined ? "—" : Number.isInteger(x) ? String(x) : x.toFixed(1))

const table = (o, mutants, cells, noMutant) => {
  const lines = [
    `Mutants found by \`explore ${o.scenario} --runs ${o.runs}\`, seeds ${o.seeds.join(", ")}:`,
    "",
    "| mutant | found | median samples to find | median shrunk schedule (faults) | median shrunk workload (users × s) | shrinking cut |",
    "|---|---|---|---|---|---|"
  ]
  for (const m of mutants) {
    const ran = cells.filter((c) => c.mutant === m && !c.notRun)
    const found = ran.filter((c) => c.summary.found).map((c) => c.summary)
    const notRun = o.seeds.length - ran.length
    const workload = found.some((s) => s.users !== null)
      ? `${show(median(found.map((s) => s.users)))} × ${show(median(found.map((s) => s.seconds)))}`
      : "—"
    lines.push(
      `| ${m} | ${found.length}/${o.seeds.length}${notRun > 0 ? ` (${notRun} not run)` : ""} | ` +
        `${show(median(found.map((s) => s.samplesToFind)))} | ${show(median(found.map((s) => s.scheduleSize)))} | ${workload} | ` +
        `${found.filter((s) => s.shrinkCut).length} |`
    )
  }
  if (noMutant?.notRun) lines.push("", `Without a mutant: \`explore ${o.scenario} --runs ${o.noMutantRuns}\` not run yet.`)
  else if (noMutant !== undefined) {
    const s = noMutant.summary
    lines.push(
      "",
      s.found
        ? `Without a mutant, \`explore ${o.scenario} --runs ${o.noMutantRuns} --seed ${noMutant.seed}\` FOUND a counterexample at sample ${s.samplesToFind}: ${s.invariant} — \`${s.replay}\``
        : `Without a mutant, \`explore ${o.scenario} --runs ${o.noMutantRuns} --seed ${noMutant.seed}\` found nothing in ${s.runs} samples.`
    )
  }
  const commits = [...new Set([...cells, ...(noMutant ? [noMutant] : [])].filter((c) => !c.notRun).map((c) => c.commit))]
  if (commits.length > 1) lines.push("", `Kept results come from ${commits.length} commits: ${commits.join(", ")} (--fresh to run all again).`)
  return lines.join("\n")
}

const main = async () => {
  const o = parseArgs(process.argv.slice(2))
  if (!existsSync(join(root, "dist"))) fail("no dist/: run npm run build first")
  const all = registry()
  const mutants = o.mutants ?? all
  for (const m of mutants) if (!all.includes(m)) fail(`unknown mutant "${m}" (starcoffee list --mutants)`)
  const head = commit()
  const progress = (c) =>
    c.notRun || process.stderr.write(
      `${c.mutant ?? "no mutant"} seed ${c.seed}: ${c.summary.found ? `found at sample ${c.summary.samplesToFind}` : `nothing in ${c.summary.runs}`}` +
        `${c.cached ? " (kept)" : ` (${(c.wallMs / 1000).toFixed(0)} s)`}\n`
    )
  // Seed by seed, so that an interrupted table has every mutant tried on the first seeds.
  const tasks = o.seeds.flatMap((seed) => mutants.map((m) => () => cell(o, head, seed, o.runs, m).then((c) => (progress(c), c))))
  const noMutantTask = o.noMutantRuns > 0 ? [() => cell(o, head, 1, o.noMutantRuns, undefined).then((c) => (progress(c), c))] : []
  // The check without a mutant first: its verdict matters most and it is one long exploration.
  const done = await pool([...noMutantTask, ...tasks], o.parallel)
  const cells = done.slice(noMutantTask.length)
  const noMutant = noMutantTask.length > 0 ? done[0] : undefined
  process.stdout.write(`${table(o, mutants, cells, noMutant)}\n`)
  const missed = cells.some((c) => c.notRun || !c.summary.found)
  const falseAlarm = noMutant === undefined ? false : noMutant.notRun === true || noMutant.summary.found
  process.exit(missed || falseAlarm ? 1 : 0)
}

main().catch((error) => {
  for (const child of children) child.kill("SIGKILL")
  process.stderr.write(`mutant-table: ${error.message}\n`)
  process.exit(1)
})
