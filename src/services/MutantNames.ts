/**
 * MutantNames: the catalogue of deliberate defects (see Mutants.ts), kept free of imports so that
 * the command line can name and validate mutants without loading Effect.
 */
export const MutantNames = {
  /** The seed's bug: make's cancel handler saves a new record whose hook publishes CoffeeMade. */
  "cancel-publishes-made": "make publishes CoffeeMade when it cancels an order (the seed's post-persist bug)",
  /** make brews on PaymentApproved alone, without waiting for the order's OrderPlaced. */
  "make-on-payment-only": "make brews on PaymentApproved alone, ignoring whether order accepted the order",
  /** make forgets its idempotent inbox, so a redelivered PaymentApproved brews again. */
  "make-no-inbox": "make skips its inbox, so a duplicate delivery brews a second coffee",
  /** payment refunds on every cancellation event it sees, not once. */
  "double-refund": "payment refunds again on every cancellation event it receives",
  /** order keeps an order whose payment call timed out, without cancelling it. */
  "timeout-keeps-order": "order forgets to cancel an order whose payment call failed or timed out",
  /** make finishes a brew under way even though the order was cancelled meanwhile (needs a brew time). */
  "brew-ignores-cancel": "make finishes a coffee already brewing although the order was cancelled mid-brew",
  /**
   * make's brewer takes its claim on a brew as proof nobody else brewed it; claims expire by comparing
   * clocks across pods, so only a skewed clock gives one brew two brewers.
   */
  "brew-lease-trusted": "make finishes a brew without checking whether another pod already made it (trusts its claim)",
  /** payment charges an order it has voided (a cancellation that arrived before the charge). */
  "charge-after-void": "payment accepts a charge that arrives after the order was voided",
  /** payment announces a refund (PaymentCancelled) when it voids an order it never charged. */
  "void-publishes-refund": "payment publishes a refund when it voids an order it never charged",
  /**
   * payment reads an order's payment before its processing time and decides the charge on that read:
   * a void that lands while it processes (order gave up on a call slowed by handler delays) is overwritten.
   */
  "charge-decided-early": "payment decides a charge on the payment it read before processing, overwriting a void that came meanwhile",
  /** mypage shows "made" as soon as an order is placed and paid, before make has brewed it. */
  "mypage-made-when-paid": "mypage shows an order as made once it is paid, before the coffee is made",
  /** mypage shows an order its customer cancelled (or is cancelling) as "rejected", as if payment had failed. */
  "mypage-cancel-shows-rejected": "mypage shows an order its customer cancelled as rejected",
  /** the gateway routes to every running pod of a service, ready or not. */
  "gateway-ignores-readiness": "the gateway forwards to every running pod, including pods that are not ready",
  /** order's circuit breaker never opens, whatever its window holds. */
  "breaker-never-opens": "order's circuit breaker to payment never opens, whatever the failure rate",
  /** order's bulkhead never gets back the slot of a payment call that timed out. */
  "bulkhead-leaks-on-timeout": "order's pool of payment calls loses a slot for every call that timed out",
  /** make swallows a failed handler (its transaction rolled back), so the event is acked and lost: SqlFail. */
  "make-acks-failed-event": "make acknowledges an event whose handling failed (a SQL error), so the event is lost",
  /** make commits its decision and writes its outbox in a second transaction: a crash between loses the events. */
  "make-outbox-apart": "make writes its outbox in a second transaction after committing its decision",
  /** make gives up an event whose handling takes over a second and acks it: slow SQL loses events. */
  "make-drops-slow-event": "make gives up (and acknowledges) an event whose handling takes over a second"
} as const
export type MutantName = keyof typeof MutantNames

export const isMutantName = (name: string): name is MutantName => Object.hasOwn(MutantNames, name)
