// Module hooks for the CLI's laziness test: any import of Effect (or another heavy library) or of the
// simulated world fails loudly, so a command that must answer without them cannot pass by accident.
const heavy = /\/node_modules\/(effect|@effect\/[^/]+|yaml|fast-check|tinypool|echarts|ioredis)\/|\/dist\/src\/(sim|live|report)\//

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  if (heavy.test(resolved.url)) throw new Error(`forbidden import at start-up: ${resolved.url}`)
  return resolved
}
