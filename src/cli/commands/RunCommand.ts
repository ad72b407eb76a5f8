/**
 * `starcoffee run <scenario> [--seed N] [--mode sim|live] [--out DIR] [--mutant NAME] [--json]`:
 * one scenario, one seed, one result. Exit 0 when every invariant and threshold holds, 1 otherwise.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { findScenario, scenarios } from "../../../scenarios/index.js"
import { isMutantName, type MutantName, MutantNames } from "../../services/Mutants.js"
import type { CommandSpec, Parsed } from "../Args.js"
import { formatRun, runJson } from "../Format.js"
import { runTimed } from "../RunTimed.js"
import { parseNonNegativeInt, UsageError } from "../UsageError.js"

export const runSpec: CommandSpec = {
  name: "run",
  summary: "Run one scenario in the simulated world from one seed and check every invariant.",
  usage: "starcoffee run <scenario> [--seed N] [--mode sim|live] [--out DIR] [--mutant NAME]... [--shuffle] [--json]",
  options: {
    seed: { type: "string" },
    mode: { type: "string" },
    out: { type: "string" },
    mutant: { type: "string", multiple: true },
    shuffle: { type: "boolean" },
    json: { type: "boolean" }
  },
  flags: [
    ["--seed N", "the seed every random draw comes from (default 1)"],
    ["--mode sim|live", "the world to run in (default sim; live is not built yet)"],
    ["--out DIR", "also write DIR/result.json and the run's history as DIR/history.jsonl"],
    ["--mutant NAME", `switch on a deliberate defect (repeatable): ${Object.keys(MutantNames).join(", ")}`],
    ["--shuffle", "shuffle the kernel's ready queue (seeded) to explore other interleavings"],
    ["--json", "print one JSON object instead of the summary"]
  ],
  maxPositionals: 1
}

export const resolveScenario = (name: string | undefined) => {
  if (name === undefined) {
    throw new UsageError(`a scenario name is required; one of: ${scenarios.map((s) => s.name).join(", ")}`)
  }
  const scenario = findScenario(name)
  if (!scenario) throw new UsageError(`unknown scenario "${name}"; one of: ${scenarios.map((s) => s.name).join(", ")}`)
  return scenario
}

export const resolveMutants = (values: Parsed["values"]): Array<MutantName> => {
  const raw = (values.mutant as unknown as Array<string> | undefined) ?? []
  return raw.map((name) => {
    if (!isMutantName(name)) {
      throw new UsageError(`unknown mutant "${name}"; one of: ${Object.keys(MutantNames).join(", ")}`)
    }
    return name
  })
}

export const resolveMode = (mode: unknown) => {
  if (mode === undefined || mode === "sim") return "sim" as const
  if (mode === "live") {
    throw new UsageError("--mode live is not available yet: the live world (real processes, Redis, Toxiproxy) is not built")
  }
  throw new UsageError(`--mode must be sim or live, got "${String(mode)}"`)
}

export const runCommand = ({ positionals, values }: Parsed): number => {
  const scenario = resolveScenario(positionals[0])
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  resolveMode(values.mode)
  const mutants = resolveMutants(values)
  const out = typeof values.out === "string" ? values.out : undefined
  const result = runTimed(scenario, {
    seed,
    mutants,
    shuffle: values.shuffle === true,
    progress: !values.json && Boolean(process.stderr.isTTY),
    keepHistory: out !== undefined
  })
  if (out !== undefined) {
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, "result.json"), JSON.stringify(runJson(result), null, 2) + "\n")
    writeFileSync(join(out, "history.jsonl"), (result.history ?? []).map((e) => JSON.stringify(e)).join("\n") + "\n")
  }
  console.log(values.json ? JSON.stringify(runJson(result)) : formatRun(result))
  return result.ok ? 0 : 1
}
