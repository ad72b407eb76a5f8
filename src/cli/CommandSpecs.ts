/**
 * CommandSpecs: every command's name, usage, flags and help text — the whole command-line surface in
 * one place, importing nothing heavy, so that `--help` and every usage error answer without loading
 * Effect or building a world. main.ts loads a command's implementation only once its flags parse.
 */
import type { CommandSpec } from "./Args.js"
import { MutantNames } from "../services/MutantNames.js"

const mutantList = Object.keys(MutantNames).join(", ")

export const listSpec: CommandSpec = {
  name: "list",
  summary: "List the scenarios starcoffee can run, or with --mutants the deliberate defects it can switch on.",
  usage: "starcoffee list [--mutants] [--json]",
  options: { mutants: { type: "boolean" }, json: { type: "boolean" } },
  flags: [
    ["--mutants", "list the mutant registry (each switched on only by --mutant NAME) instead of the scenarios"],
    ["--json", "print the list as JSON (mutants: an array of { name, description })"]
  ],
  maxPositionals: 0
}

export const checkSpec: CommandSpec = {
  name: "check",
  summary: "Validate scenario files without running them (a built-in name checks its file).",
  usage: "starcoffee check <scenario-file|name>... [--json]",
  options: { json: { type: "boolean" } },
  flags: [
    ["<scenario-file>", "a YAML (or JSON) scenario file; see scenarios/*.yaml and docs/ARCHITECTURE.md"],
    ["--json", "print one JSON object per file: { file, ok, name, faults, thresholds }"]
  ],
  maxPositionals: 64
}

export const runSpec: CommandSpec = {
  name: "run",
  summary: "Run one scenario (a built-in name or a YAML file) from one seed and check every invariant.",
  usage: "starcoffee run <scenario|file> [--seed N] [--mode sim|live] [--time-scale S] [--out DIR] [--mutant NAME]... [--shuffle] [--max-steps N] [--json]",
  options: {
    seed: { type: "string" },
    mode: { type: "string" },
    out: { type: "string" },
    mutant: { type: "string", multiple: true },
    shuffle: { type: "boolean" },
    "max-steps": { type: "string" },
    "time-scale": { type: "string" },
    json: { type: "boolean" }
  },
  flags: [
    ["--seed N", "the seed every random draw comes from (default 1)"],
    ["--mode sim|live", "the world to run in (default sim; live: real processes, Redis and Toxiproxy on loopback)"],
    ["--time-scale S", "live only: real ms per scenario ms (default 1; 0.25 runs four times faster)"],
    ["--out DIR", "where the report goes: index.html, summary.md, result.json, junit.xml, history.jsonl (default reports/<scenario>/<seed>/)"],
    ["--mutant NAME", `switch on a deliberate defect (repeatable): ${mutantList}`],
    ["--shuffle", "shuffle the kernel's ready queue (seeded) to explore other interleavings"],
    ["--max-steps N", "kernel steps before the run counts as unfinished, exit 5 (default 50000000)"],
    ["--json", "print one JSON object instead of the summary"]
  ],
  maxPositionals: 1
}

export const suiteSpec: CommandSpec = {
  name: "suite",
  summary: "Run every scenario in the simulated world, in parallel, and print a summary (what `npm start` runs).",
  usage: "starcoffee suite [--seed N] [--jobs N] [--only NAME,...] [--out DIR] [--json]",
  options: { seed: { type: "string" }, jobs: { type: "string" }, only: { type: "string" }, out: { type: "string" }, json: { type: "boolean" } },
  flags: [
    ["--seed N", "the seed of every run (default 1)"],
    ["--only NAME,...", "run only these scenarios (comma-separated), in catalogue order"],
    ["--jobs N", "scenarios run at once, each in its own worker thread (default: the number of cores)"],
    ["--out DIR", "where the report goes: an index of every run, each run's report in DIR/<scenario>/ (default reports/suite-<seed>/)"],
    ["--json", "print one JSON object per scenario, one per line, in catalogue order"]
  ],
  maxPositionals: 0
}

export const exploreSpec: CommandSpec = {
  name: "explore",
  summary: "Search fault schedules for a broken invariant, on worker threads; shrink what fails to a minimal schedule.",
  usage: "starcoffee explore [<scenario|file>] (default: random) [--runs N] [--time-budget T] [--seed N] [--jobs N] [--shard i/n] [--mutant NAME]... [--max-faults N] [--faults K,K] [--out DIR] [--json]",
  options: {
    runs: { type: "string" },
    faults: { type: "string" },
    "time-budget": { type: "string" },
    seed: { type: "string" },
    jobs: { type: "string" },
    shard: { type: "string" },
    mutant: { type: "string", multiple: true },
    "max-faults": { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" }
  },
  flags: [
    ["--runs N", "samples (simulated runs) to try before declaring nothing found (default 50; none with --time-budget)"],
    ["--time-budget T", "keep drawing samples until T is spent (30s, 5m, 1h), then report how many ran; with --runs, whichever ends first"],
    ["--seed N", "the exploration's seed: sample i's seed derives from it and i, so the same seed explores the same samples (default 1)"],
    ["--jobs N", "samples checked at once, each on its own worker thread (default: the number of cores); the result does not depend on it"],
    ["--shard i/n", "explore only samples i-1, i-1+n, i-1+2n, … (1 ≤ i ≤ n): n shards are disjoint; --runs counts this shard's samples"],
    ["--mutant NAME", `switch on a deliberate defect (repeatable): ${mutantList}`],
    ["--max-faults N", "most extra faults per run (default 4)"],
    ["--faults K,K", "the fault kinds the swarm may enable (default all): Kill, Hang, Restart, ServiceDown, Slow, Partition, Drop, BrokerOutage, BrokerSlow, Duplicate, ClockSkew, CpuHog, Scale, Roll, SqlSlow, SqlFail, HandlerDelay, CrashPoint"],
    ["--out DIR", "where explore.json (the input of `starcoffee replay`) and the report go (default reports/explore-<scenario>-<seed>/)"],
    ["--json", "print one JSON object"]
  ],
  maxPositionals: 1
}

export const replaySpec: CommandSpec = {
  name: "replay",
  summary: "Replay a counterexample found by explore, byte for byte.",
  usage: "starcoffee replay <explore.json> [--mode sim|live] [--time-scale S] | --scenario S --seed N --max-faults N [--faults K,K] --path P [--mutant NAME]... [--json]",
  options: {
    mode: { type: "string" },
    faults: { type: "string" },
    "time-scale": { type: "string" },
    scenario: { type: "string" },
    seed: { type: "string" },
    path: { type: "string" },
    "max-faults": { type: "string" },
    mutant: { type: "string", multiple: true },
    json: { type: "boolean" }
  },
  flags: [
    ["<explore.json>", "a file written by `explore --out DIR`"],
    ["--mode sim|live", "live: apply the shrunk schedule to real processes (default sim, byte for byte)"],
    ["--time-scale S", "live only: real ms per scenario ms (default 1)"],
    ["--scenario S --seed N --path P", "the failing sample's own seed and fast-check path, as printed by explore (any shard)"],
    ["--max-faults N", "the --max-faults the exploration used (default 4)"],
    ["--faults K,K", "the --faults the exploration used (default all kinds)"],
    ["--mutant NAME", `the mutants the exploration ran with: ${mutantList}`],
    ["--json", "print one JSON object"]
  ],
  maxPositionals: 1
}

export const benchSpec: CommandSpec = {
  name: "bench",
  summary: "Measure CLI start-up, the kernel against Effect's TestClock, the full-stack siege and the suite at 1 and 2 jobs.",
  usage: "starcoffee bench [--json] [--seed N] [--skip-testclock] [--skip-suite]",
  options: {
    json: { type: "boolean" },
    seed: { type: "string" },
    "skip-testclock": { type: "boolean" },
    "skip-suite": { type: "boolean" }
  },
  flags: [
    ["--json", "print one JSON object"],
    ["--seed N", "seed of every program (default 1)"],
    ["--skip-testclock", "skip the slow TestClock baseline (about 40 s); ratio is then null"],
    ["--skip-suite", "skip the suite at --jobs 1 and --jobs 2 (about two minutes); suite is then null"]
  ],
  maxPositionals: 0
}

export const serveSpec: CommandSpec = {
  name: "serve",
  summary: "Run the services as real processes on 127.0.0.1 (Redis Streams, SQLite files, Toxiproxy in every link).",
  usage: "starcoffee serve [--service NAME|all] [--port N] [--redis URL] [--toxiproxy URL] [--data DIR] [--time-scale S]",
  options: {
    service: { type: "string" },
    port: { type: "string" },
    redis: { type: "string" },
    toxiproxy: { type: "string" },
    data: { type: "string" },
    "time-scale": { type: "string" }
  },
  flags: [
    ["--service NAME|all", "all (default): Redis, Toxiproxy and every service; or one of order, payment, make, mypage, gateway"],
    ["--port N", "where the gateway (all) or the one service listens (default: the seed's port, gateway 8088)"],
    ["--redis URL", "an empty Redis on 127.0.0.1 to use (default: all starts its own; one service uses redis://127.0.0.1:6379)"],
    ["--toxiproxy URL", "all: a Toxiproxy server's API on 127.0.0.1 to use (default: starts its own)"],
    ["--data DIR", "one service on its own: the directory of its SQLite file (default .starcoffee/data)"],
    ["--time-scale S", "real ms per scenario ms for the services' clocks (default 1; 0.1 runs ten times faster)"]
  ],
  maxPositionals: 0
}
