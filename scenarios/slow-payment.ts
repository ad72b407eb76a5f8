/**
 * slow-payment: the seed's circuit-breaker section. Payment takes 400–620 ms, order gives up after
 * 610 ms behind a Hystrix breaker (and Hystrix's pool of 10 concurrent calls), and siege -c100 -t60S
 * hammers POST /orders. Calls beyond the pool and timed-out calls count as failures, the breaker trips
 * and fails orders fast while open; timed-out orders are cancelled and refunded.
 */
import type { Scenario } from "../src/chaos/Scenario.js"

export const scenario: Scenario = {
  name: "slow-payment",
  description: "siege -c100 -t60S on POST /orders; payment 400–620 ms; 610 ms timeout behind a breaker.",
  seedSection: "동기식 호출 / 서킷 브레이킹 / 장애격리",
  workload: { users: 100, durationMillis: 60_000 },
  thresholds: [
    { metric: "breakerOpened", op: ">=", value: 1, why: "the breaker trips under the siege, as in the seed" },
    { metric: "failFast", op: ">", value: 0, why: "while open, the breaker fails orders fast instead of waiting on payment" },
    { metric: "successful", op: ">", value: 0, why: "orders are still accepted under load" },
    { metric: "transactions", op: ">=", value: 1000, why: "the siege ran at full concurrency" }
  ]
}
