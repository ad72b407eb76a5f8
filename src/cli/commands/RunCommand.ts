/**
 * `starcoffee run <scenario> [--seed N] [--mode sim|live] [--out DIR] [--mutant NAME] [--json]`:
 * one scenario (a built-in name or a file), one seed, one result, and its report written to --out (by
 * default reports/<scenario>/<seed>/). Exits by failure class (chaos/RunResult.ts): 0 pass,
 * 1 safety, 3 liveness, 4 behaviour only, 5 did not finish.
 */
import { exitCodeOf } from "../../chaos/RunResult.js"
import type { Parsed } from "../Args.js"
import { resolveMode, resolveMutants, resolveScenario } from "../Resolve.js"
import { parseNonNegativeInt, UsageError } from "../UsageError.js"

const parsePositiveInt = (flag: string, value: string) => {
  const n = parseNonNegativeInt(flag, value, 0)
  if (n === 0) throw new UsageError(`--${flag} must be at least 1`)
  return n
}

export const runCommand = async ({ positionals, values }: Parsed): Promise<number> => {
  const seed = parseNonNegativeInt("seed", values.seed as string | undefined, 1)
  const mode = resolveMode(values.mode)
  const mutants = resolveMutants(values)
  const maxSteps = values["max-steps"] === undefined ? undefined : parsePositiveInt("max-steps", values["max-steps"] as string)
  const scenario = await resolveScenario(positionals[0])
  const { defaultRunDir } = await import("../../report/ReportPaths.js")
  const out = typeof values.out === "string" ? values.out : defaultRunDir(scenario.name, seed)
  const { runTimed } = await import("../RunTimed.js")
  const { formatRun, runJson } = await import("../Format.js")
  if (mode === "sim" && values["time-scale"] !== undefined) throw new UsageError("--time-scale applies to --mode live only")
  const progress = !values.json && Boolean(process.stderr.isTTY)
  const result = mode === "live"
    ? await (await import("../RunLiveTimed.js")).runLiveTimed(scenario, {
      seed,
      mutants,
      timeScale: values["time-scale"],
      progress,
      keepHistory: true
    })
    : runTimed(scenario, {
      seed,
      mutants,
      shuffle: values.shuffle === true,
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      progress,
      keepHistory: true
    })
  const { describeWrite, replayOf, writeRunOut } = await import("../ReportOut.js")
  const written = writeRunOut(out, result, scenario, { replay: replayOf(result, positionals[0]!, values.shuffle === true) })
  console.log(values.json ? JSON.stringify(runJson(result)) : `${formatRun(result)}\n\n${describeWrite(written, result.wallMs)}`)
  return exitCodeOf[result.failureClass]
}
