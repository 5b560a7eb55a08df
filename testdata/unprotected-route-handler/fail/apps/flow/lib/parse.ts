// Validates input only: an `error` variant for a bad body, no session anywhere.
export async function parseBody(req: Request): Promise<{ value: unknown } | { error: string }> {
  try {
    return { value: await req.json() }
  } catch {
    return { error: 'Invalid JSON' }
  }
}
