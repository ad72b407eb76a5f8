/**
 * HistoryInvariants: the checkers that judge the history's order of events and the properties that
 * must hold under any schedule — pure functions of a RunTruth, judged once a run is over (they are not
 * part of the liveness phase's convergence test, which waits for state to settle).
 */
import { answersAgree } from "./AnswersAgree.js"
import { availabilityRecovers } from "./AvailabilityRecovers.js"
import { breakersFollowPolicy } from "./BreakerConformance.js"
import { coffeeAfterReceipts } from "./CoffeeAfterReceipts.js"
import { mypageShowsStatusesTheOrderHad } from "./MypageStatuses.js"
import { refundAfterCharge } from "./RefundAfterCharge.js"
import { routedOnlyToReady } from "./RoutedToReady.js"
import type { InvariantResult, RunTruth, TruthIndex } from "./RunTruth.js"

export type Checker = (truth: RunTruth, index: TruthIndex) => InvariantResult

/** Safety over the order of events: each holds at any moment, converged or not. */
export const orderOfEventsInvariants: ReadonlyArray<Checker> = [
  coffeeAfterReceipts,
  refundAfterCharge,
  answersAgree,
  mypageShowsStatusesTheOrderHad
]

/** Safety properties of any schedule: routing and the breakers' policy. */
export const scheduleSafetyProperties: ReadonlyArray<Checker> = [routedOnlyToReady, breakersFollowPolicy]

/** Liveness properties of any schedule: availability comes back once faults heal. */
export const scheduleLivenessProperties: ReadonlyArray<Checker> = [availabilityRecovers]
