/**
 * The Order aggregate as a state machine.
 *
 *   Pending ──payment ok──▶ Placed ──cancel──▶ CancelRequested ──CoffeeCancelled──▶ Cancelled
 *      │                      │                      │
 *      │                      └──CoffeeMade──▶ Made ◀┘ (make brewed first: the cancel lost the race)
 *      └──payment failed / timed out / abandoned──▶ Rejected   (publishes OrderCancelled "payment-failed")
 *
 * Pending is order's private state while the synchronous payment call is in flight; the customer is
 * only told "accepted" once the order is Placed. Cancelling is allowed until the coffee is made; the
 * saga's pivot is CoffeeMade at make, so a cancel that races a brew is resolved by make.
 */
import { Either, Schema } from "effect"
import { IllegalTransition } from "./DomainError.js"
import { type CoffeeCancelled, type CoffeeMade, OrderCancelled, OrderPlaced } from "./Events.js"
import { MenuId, OrderId } from "./Ids.js"
import { Money } from "./Money.js"

export const OrderStatus = Schema.Literal("Pending", "Placed", "CancelRequested", "Made", "Cancelled", "Rejected")
export type OrderStatus = typeof OrderStatus.Type

export class Order extends Schema.Class<Order>("Order")({
  orderId: OrderId,
  menuId: MenuId,
  price: Money,
  status: OrderStatus
}) {}

export type OrderCommand =
  | { readonly _tag: "ConfirmPayment" }
  | { readonly _tag: "RejectPayment" }
  | { readonly _tag: "Cancel" }

export type OrderEvent = OrderPlaced | OrderCancelled | CoffeeMade | CoffeeCancelled

/** Terminal states: nothing moves an order out of them. */
export const isTerminal = (status: OrderStatus): boolean =>
  status === "Made" || status === "Cancelled" || status === "Rejected"

/** An order the customer was told was accepted. */
export const wasAccepted = (status: OrderStatus): boolean => status !== "Pending" && status !== "Rejected"

export const pending = (orderId: OrderId, menuId: MenuId, price: Money): Order =>
  new Order({ orderId, menuId, price, status: "Pending" }, true)

const illegal = (order: Order, command: string, message: string) =>
  Either.left(new IllegalTransition({ aggregate: "order", state: order.status, command, message }))

/** decide: state × command → the events it causes, or a refusal. */
export const decide = (
  order: Order,
  command: OrderCommand
): Either.Either<ReadonlyArray<OrderEvent>, IllegalTransition> => {
  switch (command._tag) {
    case "ConfirmPayment":
      return order.status === "Pending"
        ? Either.right([new OrderPlaced({ orderId: order.orderId, menuId: order.menuId, price: order.price }, true)])
        : illegal(order, command._tag, `order ${order.orderId} is ${order.status}, not Pending`)
    case "RejectPayment":
      return order.status === "Pending"
        ? Either.right([new OrderCancelled({ orderId: order.orderId, reason: "payment-failed" }, true)])
        : illegal(order, command._tag, `order ${order.orderId} is ${order.status}, not Pending`)
    case "Cancel":
      switch (order.status) {
        case "Placed":
          return Either.right([new OrderCancelled({ orderId: order.orderId, reason: "customer" }, true)])
        case "CancelRequested":
          return Either.right([]) // idempotent: the cancellation is already under way
        case "Made":
          return illegal(order, command._tag, `order ${order.orderId} is already made and cannot be cancelled`)
        case "Pending":
          return illegal(order, command._tag, `order ${order.orderId} is not accepted yet`)
        case "Cancelled":
        case "Rejected":
          return illegal(order, command._tag, `order ${order.orderId} is already ${order.status.toLowerCase()}`)
      }
  }
}

/** evolve: state × event → state. Events that do not apply in a state leave it unchanged. */
export const evolve = (order: Order, event: OrderEvent): Order => {
  const to = (status: OrderStatus) => (status === order.status ? order : new Order({ ...order, status }, true))
  switch (event._tag) {
    case "OrderPlaced":
      return order.status === "Pending" ? to("Placed") : order
    case "OrderCancelled":
      if (event.reason === "payment-failed") return order.status === "Pending" ? to("Rejected") : order
      return order.status === "Placed" ? to("CancelRequested") : order
    case "CoffeeMade":
      return order.status === "Placed" || order.status === "CancelRequested" ? to("Made") : order
    case "CoffeeCancelled":
      return order.status === "Placed" || order.status === "CancelRequested" ? to("Cancelled") : order
  }
}
