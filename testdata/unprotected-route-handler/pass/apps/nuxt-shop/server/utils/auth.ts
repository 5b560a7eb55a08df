// Nuxt auto-imports everything `server/utils` exports into server handlers.
export function requireAuth(event: H3Event) {
  const { userId } = event.context.auth()
  if (!userId) {
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
  }
  return userId
}
