/**
 * The `starcoffee` command: dispatches to a subcommand, turns bad usage into one line on stderr
 * with exit code 2, and any other failure into one line with exit code 1 (no stack trace unless
 * STARCOFFEE_DEBUG is set).
 */
import { type CommandSpec, helpText, parseCommand, type Parsed } from "./Args.js"
import { benchCommand, benchSpec } from "./commands/BenchCommand.js"
import { exploreCommand, exploreSpec } from "./commands/ExploreCommand.js"
import { listCommand, listSpec } from "./commands/ListCommand.js"
import { replayCommand, replaySpec } from "./commands/ReplayCommand.js"
import { runCommand, runSpec } from "./commands/RunCommand.js"
import { suiteCommand, suiteSpec } from "./commands/SuiteCommand.js"
import { UsageError } from "./UsageError.js"

interface Command {
  readonly spec: CommandSpec
  readonly run: (parsed: Parsed) => number | Promise<number>
}

const commands: ReadonlyArray<Command> = [
  { spec: listSpec, run: ({ values }) => listCommand(values) },
  { spec: runSpec, run: runCommand },
  { spec: suiteSpec, run: suiteCommand },
  { spec: exploreSpec, run: exploreCommand },
  { spec: replaySpec, run: replayCommand },
  { spec: benchSpec, run: benchCommand }
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
    "Exit codes: 0 all invariants hold; 1 an invariant failed; 2 bad usage or bad input."
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
    return await command.run(parsed)
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

// Run when executed directly (tsx src/cli/main.ts, or bin/starcoffee.mjs).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
