/**
 * The scenario catalogue: every scenario file in this folder, by name.
 */
import type { Scenario } from "../src/chaos/Scenario.js"
import { scenario as autoscale } from "./autoscale.js"
import { scenario as brokerOutage } from "./broker-outage.js"
import { scenario as liveness } from "./liveness.js"
import { scenario as partition } from "./partition.js"
import { scenario as paymentDown } from "./payment-down.js"
import { scenario as rollingUpdate } from "./rolling-update.js"
import { scenario as rollingUpdateNoReadiness } from "./rolling-update-no-readiness.js"
import { scenario as happyPath } from "./happy-path.js"
import { scenario as makeDown } from "./make-down.js"
import { scenario as slowPayment } from "./slow-payment.js"

export const scenarios: ReadonlyArray<Scenario> = [
  happyPath,
  paymentDown,
  makeDown,
  slowPayment,
  partition,
  brokerOutage,
  rollingUpdate,
  rollingUpdateNoReadiness,
  liveness,
  autoscale
]

export const findScenario = (name: string): Scenario | undefined => scenarios.find((s) => s.name === name)
