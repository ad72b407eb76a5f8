/**
 * One event of each kind (both cancellation reasons) about one order, for encoding tests.
 */
import {
  CoffeeCancelled,
  CoffeeMade,
  type DomainEvent,
  OrderCancelled,
  OrderPlaced,
  PaymentApproved,
  PaymentCancelled
} from "../../src/domain/Events.js"
import { MenuId, OrderId } from "../../src/domain/Ids.js"
import { Money } from "../../src/domain/Money.js"

/** `skipValidation`: build them as the services do (constructors told not to re-validate). */
export const oneOfEachEvent = (skipValidation = false): ReadonlyArray<DomainEvent> => {
  const orderId = OrderId.make(7)
  const v = skipValidation
  return [
    new OrderPlaced({ orderId, menuId: MenuId.make(2), price: Money.make(4500) }, v),
    new OrderCancelled({ orderId, reason: "customer" }, v),
    new OrderCancelled({ orderId, reason: "payment-failed" }, v),
    new PaymentApproved({ orderId, amount: Money.make(4500) }, v),
    new PaymentCancelled({ orderId, amount: Money.make(4500) }, v),
    new CoffeeMade({ orderId }, v),
    new CoffeeCancelled({ orderId }, v)
  ]
}
