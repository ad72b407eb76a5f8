/**
 * SagaConfig: every tunable of the services, one struct, each field documenting its default (the seed's
 * values where the seed has one). Worlds and scenarios override parts of it.
 */
import { Context, Layer } from "effect"
import { constant, type Distribution, uniform } from "./Distribution.js"
import { CircuitBreakerOptions } from "./resilience/CircuitBreaker.js"

export interface SagaConfigShape {
  readonly payment: {
    /** Time payment takes to process a charge. Default: uniform 400–620 ms (the seed). */
    readonly processing: Distribution
  }
  readonly order: {
    /** How long order waits for payment before giving up. Default: 610 ms (the seed's Hystrix timeout). */
    readonly paymentTimeoutMillis: number
    /** The breaker around order → payment. Default: Hystrix defaults. */
    readonly breaker: CircuitBreakerOptions
    /**
     * Most payment calls one order pod makes at once; a call beyond it is rejected at once and counts
     * as a breaker failure (Hystrix's thread-pool isolation). Default: 10 (Hystrix's coreSize).
     */
    readonly maxConcurrentPaymentCalls: number
    /** A Pending order older than this is abandoned (its pod died mid-call). Default: 5 000 ms. */
    readonly abandonPendingAfterMillis: number
    /** How often each order pod sweeps for abandoned orders. Default: 2 000 ms. */
    readonly sweepEveryMillis: number
  }
  readonly make: {
    /**
     * Time a barista takes to brew, from make deciding to brew (it holds PaymentApproved and
     * OrderPlaced) to CoffeeMade. A cancel that reaches make meanwhile still wins: the brew is
     * dropped and CoffeeCancelled published. Default: 0 ms — instant, as in the seed, whose make
     * publishes CoffeeMade in the same step as it records the payment (the decision and CoffeeMade
     * are then one transaction, and no cancel can arrive mid-brew).
     */
    readonly brew: Distribution
    /**
     * A pod's claim on a brew lasts the brew's own time plus this; a brew whose claim has expired
     * (its pod died mid-brew) is brewed again by any make pod. Claims compare each pod's clock with
     * the time another pod wrote, so a skewed clock can take a brew over early (two brews, one
     * CoffeeMade: the brew is finished in a transaction that re-reads the make). Default: 5 000 ms.
     */
    readonly brewLeaseMillis: number
    /** How often each make pod looks for brews whose claim expired. Default: 2 000 ms. */
    readonly brewSweepMillis: number
  }
  readonly messaging: {
    /** How often an outbox relay polls when not woken by a commit. Default: 1 000 ms. */
    readonly relayPollMillis: number
    /** A relay's claim on outbox rows expires after this (its pod died). Default: 5 000 ms. */
    readonly relayLeaseMillis: number
    /** Entries a consumer reads at once. Default: 64. */
    readonly readCount: number
    /** How long a consumer's read blocks waiting for entries. Default: 2 000 ms. */
    readonly readBlockMillis: number
    /** A pending entry idle this long is claimed by another consumer. Default: 5 000 ms. */
    readonly claimIdleMillis: number
    /** How often a consumer looks for idle pending entries. Default: 2 000 ms. */
    readonly claimEveryMillis: number
    /** After this many deliveries an entry whose handler keeps failing is dead-lettered. Default: 10. */
    readonly maxDeliveries: number
    /** Back-off after the bus is unavailable. Default: 500 ms. */
    readonly retryBackoffMillis: number
  }
}

export const defaultSagaConfig: SagaConfigShape = {
  payment: { processing: uniform(400, 620) },
  order: {
    paymentTimeoutMillis: 610,
    breaker: CircuitBreakerOptions.hystrix,
    maxConcurrentPaymentCalls: 10,
    abandonPendingAfterMillis: 5_000,
    sweepEveryMillis: 2_000
  },
  make: {
    brew: constant(0),
    brewLeaseMillis: 5_000,
    brewSweepMillis: 2_000
  },
  messaging: {
    relayPollMillis: 1_000,
    relayLeaseMillis: 5_000,
    readCount: 64,
    readBlockMillis: 2_000,
    claimIdleMillis: 5_000,
    claimEveryMillis: 2_000,
    maxDeliveries: 10,
    retryBackoffMillis: 500
  }
}

export class SagaConfig extends Context.Tag("starcoffee/SagaConfig")<SagaConfig, SagaConfigShape>() {
  static readonly Default: Layer.Layer<SagaConfig> = Layer.succeed(SagaConfig, defaultSagaConfig)
  static readonly layer = (config: SagaConfigShape): Layer.Layer<SagaConfig> => Layer.succeed(SagaConfig, config)
}
