/**
 * The order service's HTTP contract (seed port 8081): place, read and cancel orders.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { MenuId, OrderIdFromString } from "../../domain/Ids.js"
import { Money } from "../../domain/Money.js"
import { Order } from "../../domain/Order.js"
import { Conflict, NotFound, Unavailable } from "../http/ApiErrors.js"
import { HealthGroup } from "../http/HealthApi.js"

export class PlaceOrder extends Schema.Class<PlaceOrder>("PlaceOrder")({
  menuId: MenuId,
  price: Money
}) {}

const OrderPath = Schema.Struct({ orderId: OrderIdFromString })

export class OrdersGroup extends HttpApiGroup.make("orders")
  .add(
    HttpApiEndpoint.post("place", "/orders")
      .setPayload(PlaceOrder)
      .addSuccess(Order, { status: 201 })
      .addError(Unavailable)
  )
  .add(HttpApiEndpoint.get("get", "/orders/:orderId").setPath(OrderPath).addSuccess(Order).addError(NotFound))
  .add(
    HttpApiEndpoint.post("cancel", "/orders/:orderId/cancel")
      .setPath(OrderPath)
      .addSuccess(Order, { status: 202 })
      .addError(NotFound)
      .addError(Conflict)
  )
{}

export class OrderApi extends HttpApi.make("order").add(OrdersGroup).add(HealthGroup) {}
