/**
 * The scenario catalogue: every scenario file in this folder, by name.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { scenario as happyPath } from "./happy-path.js"
import { scenario as makeDown } from "./make-down.js"
import { scenario as slowPayment } from "./slow-payment.js"

export const scenarios: ReadonlyArray<Scenario> = [happyPath, makeDown, slowPayment]

export const findScenario = (name: string): Scenario | undefined => scenarios.find((s) => s.name === name)
