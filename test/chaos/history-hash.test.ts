/**
 * History's trace hash (chaos/history/History.ts): the SHA-256 of every entry's JSON and a newline, in
 * order — whether the entries fill several of the chunks it feeds the hash in or part of one, and when
 * the hash is read in the middle of a run and entries follow.
 */
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { History, type HistoryEntry } from "../../src/chaos/history/History.js"

const entry = (i: number): HistoryEntry => ({ t: i, type: "invoke", process: i % 7, op: "place", orderId: i })
const expected = (entries: ReadonlyArray<HistoryEntry>) =>
  createHash("sha256").update(entries.map((e) => JSON.stringify(e) + "\n").join("")).digest("hex")

describe("History trace hash", () => {
  it("is the SHA-256 of the entries' JSON lines, over many chunks and a partial last one", () => {
    const history = new History()
    const entries = Array.from({ length: 5_000 }, (_, i) => entry(i))
    for (const e of entries) history.record(e)
    expect(history.traceHash()).toBe(expected(entries))
  })

  it("reads the same mid-run as a fresh history of the same entries, and keeps counting after", () => {
    const history = new History()
    const first = Array.from({ length: 10 }, (_, i) => entry(i))
    for (const e of first) history.record(e)
    expect(history.traceHash()).toBe(expected(first))
    const more = [...first, entry(10), entry(11)]
    history.record(entry(10))
    history.record(entry(11))
    expect(history.traceHash()).toBe(expected(more))
    expect(history.traceHash()).toBe(expected(more))
  })
})
