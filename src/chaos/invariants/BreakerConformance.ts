/**
 * The breaker follows its configured policy, under any schedule: for each breaker the history saw
 * made (a BreakerConfigured note: its pod, name and policy), the reference model (BreakerModel.ts)
 * replays the breaker's recorded calls (BreakerCall notes, in the breaker's own order of events) and
 * must admit and reject exactly the calls the breaker did and make exactly its transitions (from,
 * to, and when). A breaker that never opens, opens too early, never half-opens or lets too many
 * trials through breaks it. Manual transitions are not modelled. Pure.
 */
import type { SystemNote } from "../../services/ports/SystemObserver.js"
import type { BreakerPolicy } from "../../services/resilience/CircuitBreaker.js"
import { BreakerModel, type ModelTransition } from "./BreakerModel.js"
import { notJudged } from "./HistoryFacts.js"
import type { InvariantResult, RunTruth } from "./RunTruth.js"

const NAME = "breakers follow their configured policy"

type CallNote = Extract<SystemNote, { _tag: "BreakerCall" }>
type TransitionNote = Extract<SystemNote, { _tag: "BreakerTransition" }>

/** One breaker from its making: its policy, its calls and its transitions, as the history has them. */
interface Instance {
  readonly label: string
  readonly policy: BreakerPolicy
  readonly calls: Array<CallNote>
  readonly transitions: Array<TransitionNote>
}

const instancesOf = (truth: RunTruth): Array<Instance> => {
  const all: Array<Instance> = []
  const current = new Map<string, Instance>()
  for (const e of truth.history) {
    if (e.type !== "note") continue
    const n = e.note
    if (n._tag === "BreakerConfigured") {
      const instance = { label: `${n.pod} ${n.breaker}`, policy: n.policy, calls: [], transitions: [] }
      current.set(`${n.pod} ${n.breaker}`, instance)
      all.push(instance)
    } else if (n._tag === "BreakerCall") {
      current.get(`${n.pod} ${n.breaker}`)?.calls.push(n)
    } else if (n._tag === "BreakerTransition") {
      current.get(`${n.pod} ${n.breaker}`)?.transitions.push(n)
    }
  }
  return all
}

/** Replays the calls through the model; the first call it decides otherwise, or undefined. */
const replay = (model: BreakerModel, calls: ReadonlyArray<CallNote>): string | undefined => {
  const events: Array<{ readonly seq: number; readonly call: number; readonly arrival: boolean }> = []
  calls.forEach((c, call) => {
    events.push({ seq: c.seq[0], call, arrival: true })
    if (c.outcome !== "rejected") events.push({ seq: c.seq[1], call, arrival: false })
  })
  events.sort((a, b) => a.seq - b.seq)
  const generations = new Map<number, number>()
  for (const { arrival, call } of events) {
    const c = calls[call]!
    if (!arrival) {
      model.complete(generations.get(call)!, c.start, c.end, c.outcome)
      continue
    }
    const generation = model.arrive(c.start)
    const rejected = c.outcome === "rejected"
    if ((generation === undefined) !== rejected) {
      return `a call at ${c.start} ms was ${rejected ? "rejected" : "let through"} while the policy ${
        rejected ? "lets it through" : "rejects it"
      } (${model.state})`
    }
    if (generation !== undefined) generations.set(call, generation)
  }
  return undefined
}

const describe = (t: { readonly from: string; readonly to: string; readonly at?: number | undefined }) =>
  `${t.from}→${t.to}${t.at === undefined ? "" : ` at ${t.at} ms`}`

/** Compares the model's transitions with the breaker's; the first difference, or undefined. */
const compareTransitions = (model: BreakerModel, recorded: ReadonlyArray<TransitionNote>): string | undefined => {
  const expected: ReadonlyArray<ModelTransition> = model.transitions
  for (let i = 0; i < Math.max(expected.length, recorded.length); i++) {
    const want = expected[i]
    const got = recorded[i]
    if (want === undefined && got !== undefined && i === recorded.length - 1 && lateHalfOpen(model, got)) return undefined
    if (want === undefined || got === undefined) {
      return want === undefined ? `the breaker went ${describe(got!)}, which the policy does not` : `the policy goes ${describe(want)}, the breaker did not`
    }
    if (want.from !== got.from || want.to !== got.to || (got.at !== undefined && got.at !== want.at)) {
      return `the policy goes ${describe(want)}, the breaker went ${describe(got)}`
    }
  }
  return undefined
}

/** A last Open → HalfOpen the breaker applied when its state was read after the last call. */
const lateHalfOpen = (model: BreakerModel, t: TransitionNote): boolean => {
  const opened = model.transitions.at(-1)
  return model.state === "Open" && t.from === "Open" && t.to === "HalfOpen" && opened !== undefined &&
    (t.at === undefined || t.at === opened.at + model.policy.waitMillis)
}

export const breakersFollowPolicy = (truth: RunTruth): InvariantResult => {
  const instances = instancesOf(truth)
  if (instances.length === 0) return notJudged(NAME, "safety", "no breaker was recorded")
  const departures: Array<string> = []
  let calls = 0
  for (const instance of instances) {
    const model = new BreakerModel(instance.policy)
    calls += instance.calls.length
    const departure = replay(model, instance.calls) ?? compareTransitions(model, instance.transitions)
    if (departure !== undefined) departures.push(`${instance.label}: ${departure}`)
  }
  return {
    name: NAME,
    kind: "safety",
    ok: departures.length === 0,
    detail: departures.length === 0
      ? `${instances.length} breakers agree with their policy over ${calls} calls`
      : `${departures.length} of ${instances.length} breakers depart from their policy — ${departures.slice(0, 2).join("; ")}`
  }
}
