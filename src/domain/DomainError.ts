/**
 * The domain's refusals: a command that is not allowed in the aggregate's current state.
 * Services map them to HTTP 409.
 */
import { Data } from "effect"

export class IllegalTransition extends Data.TaggedError("IllegalTransition")<{
  readonly aggregate: "order" | "payment" | "make"
  readonly state: string
  readonly command: string
  readonly message: string
}> {}
