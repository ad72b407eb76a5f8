/**
 * WarmUp: a fresh live stack's code paths exercised before its time 0, without changing its state.
 * A new Node process compiles each function the first time it runs: the first requests a replica
 * serves cost several times their steady-state CPU, and a siege whose users all start at once then
 * queues on a cold order replica and releases a burst of payment calls past its 10-call bulkhead —
 * enough rejections among the breaker's first 20 calls to open it in the run's second second
 * (measured: 14 of 20, the breaker open for the next 5 s). A simulated pod has no such cold start.
 * So, as a deployment warms its services before taking traffic, the harness sends rounds of
 * concurrent requests through the client's proxy to the gateway and on to every service — reads of an
 * order that does not exist (404s) and an order and a charge whose body does not decode (400s): the
 * HTTP servers and clients, routers, schemas, SQL reads and the proxies' connections are warm when
 * the workload starts. Nothing is written, so the checkers see only the run. (The write paths stay
 * cold: measured with it, 1 to 7 of the first 20 payment calls were refused, the breaker stayed shut.)
 */
import { Effect } from "effect"

/** Requests that change nothing: GETs of order 1 before it exists, POSTs whose body does not decode. */
const requests: ReadonlyArray<readonly [path: string, body?: string]> = [
  ["/orders/1"],
  ["/payments/1"],
  ["/makes/1"],
  ["/mypages/1"],
  ["/orders", "{\"menuId\":\"warm-up\"}"],
  ["/payments", "{\"orderId\":\"warm-up\"}"]
]

/** One request; any answer (404 or 400 expected) or failure will do. */
const send = (base: string, [path, body]: readonly [string, string?]) =>
  Effect.promise(() =>
    fetch(base + path, {
      signal: AbortSignal.timeout(5_000),
      ...(body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body })
    })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined)
  )

/** `rounds` rounds of `concurrency` concurrent reads through the gateway at `gateway` (a base URL). */
export const warmUp = (gateway: string | undefined, options: { readonly rounds?: number; readonly concurrency?: number } = {}) =>
  gateway === undefined ? Effect.void : Effect.forEach(
    Array.from({ length: options.rounds ?? 6 }),
    () =>
      Effect.forEach(
        Array.from({ length: options.concurrency ?? 24 }, (_, i) => requests[i % requests.length]!),
        (request) => send(gateway, request),
        { concurrency: "unbounded", discard: true }
      ),
    { discard: true }
  )
