/**
 * Argument parsing for every command, on Node's own util.parseArgs (strict: an unknown flag or a
 * missing value is a UsageError). Each command declares its flags and its help text here.
 */
import { parseArgs, type ParseArgsConfig } from "node:util"
import { exitCodesHelp } from "../chaos/RunResult.js"
import { UsageError } from "./UsageError.js"

export interface CommandSpec {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly options: NonNullable<ParseArgsConfig["options"]>
  /** Lines describing each flag, for --help. */
  readonly flags: ReadonlyArray<readonly [string, string]>
  readonly maxPositionals: number
}

export interface Parsed {
  readonly values: Record<string, string | boolean | undefined>
  readonly positionals: ReadonlyArray<string>
}

export const helpText = (spec: CommandSpec): string =>
  [
    `Usage: ${spec.usage}`,
    "",
    spec.summary,
    "",
    "Options:",
    ...spec.flags.map(([flag, text]) => `  ${flag.padEnd(26)} ${text}`),
    `  ${"-h, --help".padEnd(26)} show this help`,
    "",
    exitCodesHelp
  ].join("\n")

export const parseCommand = (spec: CommandSpec, argv: ReadonlyArray<string>): Parsed | "help" => {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...spec.options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true
    })
  } catch (error) {
    const message = (error as Error).message.split("\n")[0]!.replace(/\. To specify a positional.*$/, "")
    throw new UsageError(`${spec.name}: ${message} (see 'starcoffee ${spec.name} --help')`)
  }
  if (parsed.values.help) return "help"
  if (parsed.positionals.length > spec.maxPositionals) {
    throw new UsageError(`${spec.name}: unexpected argument "${parsed.positionals[spec.maxPositionals]}"`)
  }
  return { values: parsed.values as Parsed["values"], positionals: parsed.positionals }
}
