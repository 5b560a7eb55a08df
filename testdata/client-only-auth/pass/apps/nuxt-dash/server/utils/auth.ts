export function requireUser(event: H3Event) {
  const { userId } = event.context.auth()
  if (!userId) throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
  return userId
}
