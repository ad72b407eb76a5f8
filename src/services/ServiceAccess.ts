/**
 * ServiceAccess: a service read from the running fiber's context in one Effect operation.
 *
 * `Effect.flatMap(Tag, f)` costs three operations (the flatMap, the tag, the sync that reads the
 * context) and `yield* Tag` two; the hot paths of the services (outbox, inbox, relay, stores) read the
 * same few services once per statement or event, thousands of times a run. `withService` reads the
 * same context (`fiber.currentContext`, what a tag reads) in one `withFiberRuntime`; a missing service
 * dies exactly as a tag does (`Context.unsafeGet` throws).
 */
import { Context, Effect } from "effect"

/** `Effect.flatMap(tag, f)`, in one Effect operation. */
export const withService = <I, S, A, E, R>(
  tag: Context.Tag<I, S>,
  f: (service: S) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R | I> => Effect.withFiberRuntime((fiber) => f(Context.unsafeGet(fiber.currentContext, tag)))
