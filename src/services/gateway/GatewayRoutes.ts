/**
 * The gateway's routing table (seed port 8088): which path prefix goes to which service.
 */
import type { ServiceName } from "../ports/ServiceDirectory.js"

export const gatewayRoutes: ReadonlyArray<readonly [prefix: string, service: ServiceName]> = [
  ["/orders", "order"],
  ["/payments", "payment"],
  ["/makes", "make"],
  ["/mypages", "mypage"]
]

/** The service a request path routes to, or undefined (404). Matches whole segments only. */
export const routeOf = (path: string): ServiceName | undefined => {
  for (const [prefix, service] of gatewayRoutes) {
    if (path === prefix || path.startsWith(prefix + "/") || path.startsWith(prefix + "?")) return service
  }
  return undefined
}
