/**
 * The HTTP errors every service contract shares, each bound to its status code. Bad input (400) is
 * the platform's HttpApiDecodeError, whose `issues[].path` names the offending field.
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404 })
) {}

export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  { message: Schema.String, state: Schema.String },
  HttpApiSchema.annotations({ status: 409 })
) {}

export class Unavailable extends Schema.TaggedError<Unavailable>()(
  "Unavailable",
  { message: Schema.String, reason: Schema.String },
  HttpApiSchema.annotations({ status: 503 })
) {}
