/**
 * ScenarioFile: reads a scenario file (YAML, or JSON, which is YAML too) and decodes it with
 * ScenarioSchema, or fails with one line naming the file, the field path and what was expected.
 */
import { readFileSync } from "node:fs"
import { Either, ParseResult, Schema } from "effect"
import { parseDocument } from "yaml"
import type { Scenario } from "../Scenario.js"
import { ScenarioSchema } from "./ScenarioSchema.js"

/** A scenario file that cannot be used, with a one-line explanation. */
export class ScenarioFileError extends Error {
  override readonly name = "ScenarioFileError"
}

const decode = Schema.decodeUnknownEither(ScenarioSchema, { onExcessProperty: "error", errors: "first" })

/**
 * The first issue of a decoding failure as `path: message`, on one line. The alternatives of a union
 * of literals (a fault's kind, a service) are reported together: `Expected "a" | "b", actual "c"`.
 */
const firstIssue = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const [issue] = issues
  if (!issue) return "invalid"
  const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)"
  if (issue._tag === "Unexpected") return `${where}: is not a known field`
  const samePath = issues.filter((i) => i.path.join(".") === issue.path.join("."))
  const alternatives = samePath.map((i) => /^Expected (.*), actual (.*)$/s.exec(i.message))
  if (samePath.length > 1 && alternatives.every((m) => m !== null)) {
    const expected = alternatives.map((m) => m![1]).filter((e) => e !== "undefined")
    return `${where}: Expected ${expected.join(" | ")}, actual ${alternatives[0]![2]}`
  }
  return `${where}: ${issue.message.replace(/\s+/g, " ")}`
}

/** Decodes a scenario from a value already parsed (e.g. embedded in explore.json); `where` names it in errors. */
export const decodeScenario = (where: string, value: unknown): Scenario => {
  const decoded = decode(value)
  if (Either.isLeft(decoded)) throw new ScenarioFileError(`${where}: ${firstIssue(decoded.left)}`)
  return decoded.right
}

/** A scenario in its file form (what a YAML file would say), to embed in results. */
export const encodeScenario = (scenario: Scenario): unknown => Schema.encodeSync(ScenarioSchema)(scenario)

/** Decodes a scenario from text already read; `file` names it in errors. */
export const parseScenario = (file: string, text: string): Scenario => {
  const doc = parseDocument(text, { prettyErrors: true })
  const syntax = doc.errors[0]
  if (syntax) {
    const at = syntax.linePos?.[0]
    const where = at ? ` at line ${at.line}, column ${at.col}` : ""
    throw new ScenarioFileError(`${file}: YAML syntax error${where}: ${syntax.message.split("\n")[0]}`)
  }
  return decodeScenario(file, doc.toJS())
}

export const readScenarioFile = (file: string): Scenario => {
  let text: string
  try {
    text = readFileSync(file, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ScenarioFileError(`${file}: cannot read the file (${code === "ENOENT" ? "no such file" : code ?? "error"})`)
  }
  return parseScenario(file, text)
}
