/**
 * Settings several scenarios share.
 */
import { uniform } from "../src/services/Distribution.js"
import type { SagaConfigShape } from "../src/services/SagaConfig.js"

/**
 * payment answering in 50–150 ms, well inside order's 610 ms timeout: for scenarios about other
 * faults, so that the seed's slow payment does not blur what they show.
 */
export const fastPayment = (defaults: SagaConfigShape): SagaConfigShape => ({
  ...defaults,
  payment: { processing: uniform(50, 150) }
})
