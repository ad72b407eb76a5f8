#!/usr/bin/env node
/**
 * ab-explore: two builds of starcoffee compared side by side on the same explore samples, in one
 * process, interleaved — the measurement a speed change needs on a machine whose speed drifts.
 *
 * On the 2-core machine the same fixed work takes anywhere within ±15 % of its wall time from one
 * minute to the next (docs/ARCHITECTURE.md, "Speed"), so two benches run one after the other cannot
 * tell a 5 % change from the drift. Here each sample is checked by build A and by build B back to back
 * (AB in even rounds, BA in odd ones), after a warm-up of both, so the drift falls on both alike;
 * every round prints both totals and their ratio, and the end the median ratio and its spread. Which
 * build a process loads first biases that process's ratio by several percent, one way or the other
 * from one process to the next (a build against an identical copy of itself gave B/A 0.94 in one
 * process, 1.02 and 0.92 in two more), so it measures in two child processes, one loading A first
 * and one loading B first, and takes the median over both. The noise floor that leaves, measured the
 * same way (identical builds, 20 samples, 2 × 4 rounds): median 0.96, rounds from 0.91 to 1.05.
 * It also says, sample by sample, whether both builds gave the same trace hash (a change meant to
 * keep the traces must show "all equal").
 *
 * A build is a directory holding a compiled tree (`dist` after `npm run build`: it has
 * src/chaos/explore/Explore.js), or a git revision, compiled here into .ab/<commit>/ (git archive of
 * the revision's sources, then tsc with this checkout's node_modules). Child processes are spawned
 * without a shell.
 *
 * Usage: node scripts/ab-explore.mjs <A> <B> [--samples 40] [--from 0] [--rounds 4] [--warm 10]
 *          [--scenario random] [--seed 1]
 * Exit code: 0 measured; 2 bad usage or a build that cannot be loaded.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, rmSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { parseArgs } from "node:util"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const usage = "usage: node scripts/ab-explore.mjs <A> <B> [--samples 40] [--from 0] [--rounds 4] [--warm 10] [--scenario random] [--seed 1]\n" +
  "  A, B: a compiled tree (dist/) or a git revision (compiled into .ab/<commit>/)\n"

const fail = (message) => {
  process.stderr.write(`ab-explore: ${message}\n`)
  process.exit(2)
}

let parsed
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      samples: { type: "string", default: "40" },
      from: { type: "string", default: "0" },
      rounds: { type: "string", default: "4" },
      warm: { type: "string", default: "10" },
      scenario: { type: "string", default: "random" },
      seed: { type: "string", default: "1" },
      help: { type: "boolean", short: "h" },
      // Internal, for the two child processes main starts: measure here, in one loading order.
      "one-process": { type: "boolean" },
      "load-b-first": { type: "boolean" }
    }
  })
} catch (e) {
  fail(`${e.message}\n${usage}`)
}
if (parsed.values.help) {
  process.stdout.write(usage)
  process.exit(0)
}
const count = (name, min) => {
  const text = parsed.values[name]
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min) fail(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`)
  return n
}
const samples = count("samples", 1)
const from = count("from", 0)
const rounds = count("rounds", 1)
const warm = count("warm", 0)
const seed = count("seed", 0)
if (parsed.positionals.length !== 2) fail(`two builds are needed, got ${parsed.positionals.length}\n${usage}`)

const run = (command, args, options = {}, label = `${command} ${args.join(" ")}`) => {
  const result = spawnSync(command, args, { cwd: root, shell: false, encoding: "utf8", ...options })
  if (result.status !== 0) fail(`${label} failed: ${(result.stderr || result.stdout || "").trim().split("\n").slice(-3).join(" ")}`)
  return result.stdout
}

/** The compiled tree's src directory for a directory or a git revision. */
const buildOf = (spec) => {
  const direct = resolve(spec)
  if (existsSync(join(direct, "src", "chaos", "explore", "Explore.js"))) return join(direct, "src")
  if (existsSync(join(direct, "chaos", "explore", "Explore.js"))) return direct
  const commit = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${spec}^{commit}`], { cwd: root, shell: false, encoding: "utf8" })
  if (commit.status !== 0) fail(`${spec} is neither a compiled tree nor a git revision`)
  const sha = commit.stdout.trim()
  const home = join(root, ".ab", sha.slice(0, 12))
  const out = join(home, "dist")
  if (!existsSync(join(out, "src", "chaos", "explore", "Explore.js"))) {
    process.stderr.write(`ab-explore: compiling ${spec} (${sha.slice(0, 12)}) into ${home} …\n`)
    rmSync(home, { recursive: true, force: true })
    mkdirSync(home, { recursive: true })
    // The revision's package.json and scenarios sit above its compiled tree, which finds them there
    // (chaos/scenario/Catalogue.ts): the revision's own scenarios, not this checkout's.
    const archive = join(home, "src.tar")
    run("git", ["archive", "--format=tar", "-o", archive, sha, "src", "scenarios", "package.json", "tsconfig.json", "tsconfig.build.json"])
    run("tar", ["-xf", archive, "-C", home])
    run(join(root, "node_modules", ".bin", "tsc"), ["-p", join(home, "tsconfig.build.json"), "--outDir", out])
  }
  return join(out, "src")
}

const load = async (src) => {
  const at = (path) => import(pathToFileURL(join(src, path)).href)
  const { checkSample } = await at("chaos/explore/Explore.js")
  const { runScenarioSim } = await at("sim/world/SimRun.js")
  const { loadScenarioFile } = await at("cli/Resolve.js")
  const { catalogueFile } = await at("chaos/scenario/Catalogue.js")
  const { sampleSeed } = await at("chaos/explore/SampleSpace.js")
  const scenario = await loadScenarioFile(catalogueFile(parsed.values.scenario))
  return (index) => {
    const started = performance.now()
    const outcome = checkSample(scenario, { run: runScenarioSim, mutants: [], maxFaults: 4 }, sampleSeed(seed, index))
    return { ms: performance.now() - started, hash: outcome.traceHash }
  }
}

const [specA, specB] = parsed.positionals
const builds = [buildOf(specA), buildOf(specB)]

/** One process, the builds loaded in the given order: per-round totals of A and B, and the samples whose hashes differ. */
const measureInProcess = async (srcA, srcB, loadBFirst) => {
  const loaded = new Map()
  for (const src of loadBFirst ? [srcB, srcA] : [srcA, srcB]) loaded.set(src, await load(src).catch((e) => fail(`${src}: ${e.message}`)))
  const a = loaded.get(srcA)
  const b = loaded.get(srcB)
  for (let i = 0; i < warm; i++) {
    a(from + i)
    b(from + i)
  }
  const rows = []
  const differing = []
  for (let round = 0; round < rounds; round++) {
    let msA = 0
    let msB = 0
    for (let i = from; i < from + samples; i++) {
      // AB in even rounds, BA in odd ones: the second of a pair runs a sample just run (warm caches).
      const [x, y] = round % 2 === 0 ? [a(i), b(i)] : [b(i), a(i)]
      const [ra, rb] = round % 2 === 0 ? [x, y] : [y, x]
      msA += ra.ms
      msB += rb.ms
      if (ra.hash !== rb.hash && !differing.includes(i)) differing.push(i)
    }
    rows.push({ msA: Math.round(msA), msB: Math.round(msB) })
  }
  return { rows, differing }
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

if (parsed.values["one-process"]) {
  process.stdout.write(JSON.stringify(await measureInProcess(builds[0], builds[1], Boolean(parsed.values["load-b-first"]))))
  process.exit(0)
}

console.log(`A = ${specA}, B = ${specB}: explore ${parsed.values.scenario} samples ${from}–${from + samples - 1} (seed ${seed}), ` +
  `${rounds} rounds after a warm-up of ${warm} samples on each, in two processes (A loaded first, then B loaded first)`)
const ratios = []
const differing = new Set()
for (const loadBFirst of [false, true]) {
  const args = [fileURLToPath(import.meta.url), builds[0], builds[1], "--one-process", "--samples", String(samples), "--from", String(from),
    "--rounds", String(rounds), "--warm", String(warm), "--scenario", parsed.values.scenario, "--seed", String(seed),
    ...(loadBFirst ? ["--load-b-first"] : [])]
  const out = run(process.execPath, args, { maxBuffer: 1 << 24 }, `the measuring process (${loadBFirst ? "B" : "A"} loaded first)`)
  const result = JSON.parse(out)
  result.differing.forEach((i) => differing.add(i))
  console.log(`  ${loadBFirst ? "B" : "A"} loaded first:`)
  result.rows.forEach(({ msA, msB }, round) => {
    ratios.push(msB / msA)
    console.log(`    round ${round + 1} (${round % 2 === 0 ? "AB" : "BA"}): A ${msA} ms, B ${msB} ms, B/A ${(msB / msA).toFixed(3)}`)
  })
}
const sorted = [...ratios].sort((x, y) => x - y)
console.log(`B/A: median ${median(ratios).toFixed(3)} over ${ratios.length} rounds (min ${sorted[0].toFixed(3)}, max ${sorted.at(-1).toFixed(3)}); below 1: B is faster`)
console.log(differing.size === 0
  ? `trace hashes: all equal (${samples} samples)`
  : `trace hashes: ${differing.size} of ${samples} samples differ (${[...differing].sort((x, y) => x - y).slice(0, 10).join(", ")}${differing.size > 10 ? ", …" : ""})`)
