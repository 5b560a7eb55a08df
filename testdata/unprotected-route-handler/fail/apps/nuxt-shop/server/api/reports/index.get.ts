// The auto-imported helper only reads the session; nothing checks what it returns.
export default defineEventHandler(async (event) => { // expect: unprotected-route-handler
  const userId = currentUserId(event)
  return db.reports(userId)
})
