/**
 * The built-in scenarios for tests, decoded from scenarios/*.yaml exactly as the command line does.
 */
import { catalogueFile, catalogueNames } from "../../src/chaos/scenario/Catalogue.js"
import { readScenarioFile } from "../../src/chaos/scenario/ScenarioFile.js"
import type { Scenario } from "../../src/chaos/Scenario.js"

export const builtin = (name: string): Scenario => readScenarioFile(catalogueFile(name))

export const catalogue = (): Array<Scenario> => catalogueNames().map(builtin)
