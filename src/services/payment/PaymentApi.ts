/**
 * The payment service's HTTP contract (seed port 8082): charge an order (idempotent per order) and read
 * a payment.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { OrderId, OrderIdFromString } from "../../domain/Ids.js"
import { Money } from "../../domain/Money.js"
import { Payment } from "../../domain/Payment.js"
import { Conflict, NotFound } from "../http/ApiErrors.js"
import { HealthGroup } from "../http/HealthApi.js"

export class ChargeOrder extends Schema.Class<ChargeOrder>("ChargeOrder")({
  orderId: OrderId,
  amount: Money
}) {}

export class PaymentsGroup extends HttpApiGroup.make("payments")
  .add(
    HttpApiEndpoint.post("charge", "/payments")
      .setPayload(ChargeOrder)
      .addSuccess(Payment, { status: 201 })
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.get("get", "/payments/:orderId")
      .setPath(Schema.Struct({ orderId: OrderIdFromString }))
      .addSuccess(Payment)
      .addError(NotFound)
  )
{}

export class PaymentApi extends HttpApi.make("payment").add(PaymentsGroup).add(HealthGroup) {}
