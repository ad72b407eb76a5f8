// Module hooks for the CLI's laziness test: any import of Effect, the simulated world or the
// services fails loudly, so a command that must answer without them cannot pass by accident.
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  if (/\/node_modules\/effect\/|\/node_modules\/@effect\/|\/dist\/src\/(sim|chaos|services\/(?!MutantNames))/.test(resolved.url)) {
    throw new Error(`forbidden import at start-up: ${resolved.url}`)
  }
  return resolved
}
