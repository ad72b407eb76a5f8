/**
 * Mutants: deliberate defects, switched on by name, that prove the invariant checkers work
 * (DESIGN.md §6). Each service asks `Mutants.isOn(name)` at the point where the defect lives.
 */
import { Context, Exit, Layer } from "effect"
import { withService } from "./ServiceAccess.js"

export { isMutantName, type MutantName, MutantNames } from "./MutantNames.js"
import type { MutantName } from "./MutantNames.js"

export class Mutants extends Context.Tag("starcoffee/Mutants")<Mutants, ReadonlySet<MutantName>>() {
  static readonly None: Layer.Layer<Mutants> = Layer.succeed(Mutants, new Set())
  static readonly layer = (names: Iterable<MutantName>): Layer.Layer<Mutants> => Layer.succeed(Mutants, new Set(names))
}

export const isOn = (name: MutantName) => withService(Mutants, (set) => Exit.succeed(set.has(name)))
