// Near miss: the auto-imported `requireAuth` (server/utils/auth.ts) throws a 401.
export default defineEventHandler(async (event) => {
  const userId = requireAuth(event)
  return db.orders(userId)
})
