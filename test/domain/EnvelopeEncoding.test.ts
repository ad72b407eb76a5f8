/**
 * The outbox writes envelopes with JSON.stringify instead of Schema.encodeSync(EventEnvelopeJson)
 * (src/services/messaging/Outbox.ts): for envelopes our code builds, both give the same text, and
 * that text decodes back to the same envelope.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { envelope, EventEnvelopeJson, eventIdOf } from "../../src/domain/Events.js"
import { encodeEnvelope } from "../../src/services/messaging/Outbox.js"
import { oneOfEachEvent } from "../support/sampleEvents.js"

// Built as the services build them: constructors told to skip validation.
const events = oneOfEachEvent(true)

describe("outbox envelope encoding", () => {
  it("JSON.stringify gives exactly the schema's encoding, and it decodes back to the same envelope", () => {
    const encode = Schema.encodeSync(EventEnvelopeJson)
    const decode = Schema.decodeUnknownSync(EventEnvelopeJson)
    for (const event of events) {
      for (const [occurredAt, causation] of [[0, null], [1234.5678, eventIdOf(events[0]!)]] as const) {
        const env = envelope(event, occurredAt, causation)
        const text = encodeEnvelope(env)
        expect(text).toBe(encode(env))
        expect(decode(text)).toEqual(env)
      }
    }
  })
})
