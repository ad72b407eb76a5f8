/**
 * Catalogue: the built-in scenarios, one YAML file each in the package's scenarios/ folder, by name
 * (the file name without .yaml), in file-name order. Listing names reads the folder only, so the
 * command line can validate a name without loading Effect; loading decodes the file (ScenarioFile.ts).
 */
import { existsSync, readdirSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/** The package root: the nearest folder above this module holding a scenarios/ folder and package.json. */
const packageRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "scenarios"))) return dir
    const up = dirname(dir)
    if (up === dir) throw new Error("starcoffee: cannot find the scenarios/ folder of the package")
    dir = up
  }
}

export const scenariosDir = (): string => join(packageRoot(), "scenarios")

/** Names of the built-in scenarios, in file-name order. */
export const catalogueNames = (): Array<string> =>
  readdirSync(scenariosDir()).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -".yaml".length)).sort()

export const catalogueFile = (name: string): string => join(scenariosDir(), `${name}.yaml`)

/** Whether a command-line argument names a file rather than a built-in scenario. */
export const isScenarioPath = (arg: string): boolean => /[\\/]/.test(arg) || /\.(ya?ml|json)$/i.test(arg)
