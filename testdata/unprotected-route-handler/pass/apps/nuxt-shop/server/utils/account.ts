import type { H3Event } from 'h3'
import { createError } from 'h3'

// The session function taken off the request first, then called.
export async function requireAccount(event: H3Event) {
  const authFn = event.context.auth
  if (!authFn) throw createError({ statusCode: 500, statusMessage: 'Clerk is not set up' })
  const session = await authFn()
  const userId = session?.userId
  if (!userId) throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
  return { userId }
}
