// The aliased session function is called, but nothing checks its result.
export default defineEventHandler(async (event) => { // expect: unprotected-route-handler
  const authFn = event.context.auth
  const { userId } = authFn()
  return db.profile(userId)
})
