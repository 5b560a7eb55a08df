// Near miss: `requireAccount` (server/utils, auto-imported) calls an alias of
// `event.context.auth` and throws a 401.
export default defineEventHandler(async (event) => {
  const { userId } = await requireAccount(event)
  return db.account(userId)
})
