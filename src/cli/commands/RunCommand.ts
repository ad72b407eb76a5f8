/**
 * `starcoffee run <scenario> [--seed N] [--mode sim|live] [--out DIR] [--mutant NAME] [--json]`:
 * one scenario (a built-in name or a file), one seed, one result, and its report written to --out (by
 * default reports/<scenario>/<seed>/). Exits by failure class (chaos/RunResult.ts): 0 pass,
 * 1 safety, 3 liveness, 4 behaviour only, 5 did not finish.
 */
import { exitCodeOf } from "../../chaos/RunResult.js"
import type { Parsed } from "../Args.js"
import type { TimedResult } from "../Format.js"
import type { TimedWrite } from "../ReportOut.js"
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
  const { formatRun, runJson } = await import("../Format.js")
  if (mode === "sim" && values["time-scale"] !== undefined) throw new UsageError("--time-scale applies to --mode live only")
  const progress = !values.json && Boolean(process.stderr.isTTY)
  const { describeWrite, replayOf, writeRunOut } = await import("../ReportOut.js")
  let result: TimedResult
  let written: TimedWrite
  if (mode === "live") {
    result = await (await import("../RunLiveTimed.js")).runLiveTimed(scenario, {
      seed,
      mutants,
      timeScale: values["time-scale"],
      progress,
      keepHistory: true
    })
    written = writeRunOut(out, result, scenario, { replay: replayOf(result, positionals[0]!, values.shuffle === true) })
  } else {
    // On a worker thread, as the suite runs each scenario (RunInWorker.ts says why); the worker,
    // which holds the history, writes the report.
    const outcome = await (await import("../RunInWorker.js")).runInWorker({
      scenario,
      seed,
      mutants,
      shuffle: values.shuffle === true,
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      reportDir: out,
      report: { scenarioRef: positionals[0]!, history: true }
    }, { progress })
    result = outcome
    written = { report: outcome.report!, written: outcome.written!, ms: outcome.reportMs ?? 0 }
  }
  console.log(values.json ? JSON.stringify(runJson(result)) : `${formatRun(result)}\n\n${describeWrite(written, result.wallMs)}`)
  return exitCodeOf[result.failureClass]
}
