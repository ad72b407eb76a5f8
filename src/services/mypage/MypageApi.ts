/**
 * The mypage service's HTTP contract (seed port 8084): the customer's view of an order.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { OrderIdFromString } from "../../domain/Ids.js"
import { MypageView } from "../../domain/MypageProjection.js"
import { NotFound } from "../http/ApiErrors.js"
import { HealthGroup } from "../http/HealthApi.js"

export class MypagesGroup extends HttpApiGroup.make("mypages").add(
  HttpApiEndpoint.get("get", "/mypages/:orderId")
    .setPath(Schema.Struct({ orderId: OrderIdFromString }))
    .addSuccess(MypageView)
    .addError(NotFound)
) {}

export class MypageApi extends HttpApi.make("mypage").add(MypagesGroup).add(HealthGroup) {}
