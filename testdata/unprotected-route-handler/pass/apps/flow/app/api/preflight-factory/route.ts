// A handler pair made by a factory of another package, loaded on first use: the preflight
// answers whatever headers it builds and changes nothing.
async function load() {
  const { createToolHandler } = await import('@acme/tools/core')
  return createToolHandler({ name: 'lookup' })
}

let handler: Awaited<ReturnType<typeof load>> | null = null

export async function OPTIONS(request: Request) {
  if (!handler) {
    handler = await load()
  }
  return handler.OPTIONS(request)
}
