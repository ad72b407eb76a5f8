/**
 * The mypage service's background work: it folds every event of the three streams into its view.
 */
import { Streams } from "../ports/EventBus.js"
import { runConsumer } from "../messaging/EventConsumer.js"
import { recordEvent } from "./MypageStore.js"

export const mypageWorkers = runConsumer({
  group: "mypage",
  streams: [Streams.order, Streams.payment, Streams.make],
  handle: (envelope) => recordEvent(envelope.event)
})
