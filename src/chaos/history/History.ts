/**
 * History: the record of one run (in either world), in time order — client operations as
 * invoke / ok / fail / info (Jepsen's vocabulary: info means the outcome is unknown, e.g. a timeout),
 * domain events as published, the deliveries a checker judges (`delivered`: an event handed to a
 * consuming pod), where requests were routed (`route`: the first request a pod received in each of its
 * readiness states), faults, cluster changes and service notes (breaker transitions and calls, dead
 * letters). Checkers read it after the run; its trace hash is the run's fingerprint:
 * same code + same seed ⇒ same hash, in any process.
 */
import { createHash, type Hash } from "node:crypto"
import type { SystemNote } from "../../services/ports/SystemObserver.js"

export type Operation = "place" | "cancel" | "status"

export type HistoryEntry =
  | {
    readonly t: number
    readonly type: "invoke"
    readonly process: number
    readonly op: Operation
    readonly orderId?: number
  }
  | {
    readonly t: number
    readonly type: "ok" | "fail" | "info"
    readonly process: number
    readonly op: Operation
    readonly orderId?: number
    /** HTTP status, or 0 when there was no answer. */
    readonly status: number
    readonly latencyMs: number
    readonly detail?: string
  }
  | {
    readonly t: number
    readonly type: "event"
    readonly stream: string
    readonly eventId: string
    readonly kind: string
    readonly orderId: number
    readonly pod: string
  }
  | {
    readonly t: number
    readonly type: "fault"
    /** skipped: the fault found no target (e.g. no running replica), so nothing was done. */
    readonly phase: "start" | "end" | "skipped"
    readonly fault: string
    readonly target?: string
    readonly detail?: string
  }
  /** An event handed to a consuming pod (the consumer group is the pod's service). */
  | { readonly t: number; readonly type: "delivered"; readonly pod: string; readonly eventId: string }
  /**
   * A request routed to a pod (by the network: a client's, the gateway's or a service's call), recorded
   * for the first request the pod receives after each change of its readiness — enough to tell whether
   * any request reached it while it was not ready.
   */
  | { readonly t: number; readonly type: "route"; readonly pod: string }
  | { readonly t: number; readonly type: "cluster"; readonly action: string; readonly pod: string; readonly detail?: string }
  | { readonly t: number; readonly type: "note"; readonly note: SystemNote }

/** Hashed text held back before it is fed to the hash in one call (one native call per ~64 KB, not two per entry). */
const HASH_CHUNK_CHARS = 65_536

export class History {
  readonly entries: Array<HistoryEntry> = []
  private readonly hash: Hash = createHash("sha256")
  /** Each entry's JSON and a newline, not yet fed to `hash`: the hashed bytes are the same either way. */
  private pending = ""

  record(entry: HistoryEntry): void {
    this.entries.push(entry)
    this.pending += JSON.stringify(entry) + "\n"
    if (this.pending.length >= HASH_CHUNK_CHARS) this.flush()
  }

  /** The trace hash over every entry so far (hex). Does not consume the running hash. */
  traceHash(): string {
    this.flush()
    return this.hash.copy().digest("hex")
  }

  private flush(): void {
    if (this.pending.length === 0) return
    this.hash.update(this.pending)
    this.pending = ""
  }

  get length(): number {
    return this.entries.length
  }
}
