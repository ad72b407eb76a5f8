/**
 * The make service's HTTP contract (seed port 8083): read the brewing state of an order.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { OrderIdFromString } from "../../domain/Ids.js"
import { Make } from "../../domain/Make.js"
import { NotFound } from "../http/ApiErrors.js"
import { HealthGroup } from "../http/HealthApi.js"

export class MakesGroup extends HttpApiGroup.make("makes").add(
  HttpApiEndpoint.get("get", "/makes/:orderId")
    .setPath(Schema.Struct({ orderId: OrderIdFromString }))
    .addSuccess(Make)
    .addError(NotFound)
) {}

export class MakeApi extends HttpApi.make("make").add(MakesGroup).add(HealthGroup) {}
