/**
 * The `starcoffee` command: dispatches to a subcommand, turns bad usage into one line on stderr
 * with exit code 2, and any other failure into one line with exit code 1 (no stack trace unless
 * STARCOFFEE_DEBUG is set). A command's implementation is imported only after its flags parse, so
 * `--help` and usage errors never load Effect or build a world.
 */
import { type CommandSpec, helpText, parseCommand, type Parsed } from "./Args.js"
import { benchSpec, checkSpec, exploreSpec, listSpec, replaySpec, runSpec, serveSpec, suiteSpec } from "./CommandSpecs.js"
import { exitCodesHelp } from "../chaos/RunResult.js"
import { UsageError } from "./UsageError.js"
import { boundHeapGrowth } from "./WorkerHeap.js"

type Run = (parsed: Parsed) => number | Promise<number>

interface Command {
  readonly spec: CommandSpec
  readonly load: () => Promise<Run>
}

const commands: ReadonlyArray<Command> = [
  { spec: listSpec, load: () => import("./commands/ListCommand.js").then((m) => m.listCommand) },
  { spec: checkSpec, load: () => import("./commands/CheckCommand.js").then((m) => m.checkCommand) },
  { spec: runSpec, load: () => import("./commands/RunCommand.js").then((m) => m.runCommand) },
  { spec: suiteSpec, load: () => import("./commands/SuiteCommand.js").then((m) => m.suiteCommand) },
  { spec: exploreSpec, load: () => import("./commands/ExploreCommand.js").then((m) => m.exploreCommand) },
  { spec: replaySpec, load: () => import("./commands/ReplayCommand.js").then((m) => m.replayCommand) },
  { spec: benchSpec, load: () => import("./commands/BenchCommand.js").then((m) => m.benchCommand) },
  { spec: serveSpec, load: () => import("./commands/ServeCommand.js").then((m) => m.serveCommand) }
]

const topHelp = () =>
  [
    "starcoffee: deterministic simulation and chaos testing of the starcoffee coffee-ordering saga",
    "",
    "Usage: starcoffee <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.spec.name.padEnd(8)} ${c.spec.summary}`),
    "",
    "Run 'starcoffee <command> --help' for a command's options.",
    exitCodesHelp
  ].join("\n")

export const main = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [name, ...rest] = argv
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(topHelp())
    return name === undefined ? 2 : 0
  }
  const command = commands.find((c) => c.spec.name === name)
  try {
    if (!command) throw new UsageError(`unknown command "${name}"; one of: ${commands.map((c) => c.spec.name).join(", ")}`)
    const parsed = parseCommand(command.spec, rest)
    if (parsed === "help") {
      console.log(helpText(command.spec))
      return 0
    }
    // A single run bounds the heap's growth from the start (WorkerHeap.ts; set later, V8 only applies
    // it after the next full collection, when the heap has already grown).
    if (command.spec.name === "run" || command.spec.name === "bench") boundHeapGrowth()
    const run = await command.load()
    return await run(parsed)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`starcoffee: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`starcoffee: ${(error as Error)?.message ?? String(error)}\n`)
    if (process.env.STARCOFFEE_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`)
    return 1
  }
}

// Run when executed directly (bin/starcoffee.mjs imports the compiled dist/src/cli/main.js).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
