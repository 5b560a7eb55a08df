// Auto-imported helper from server/utils that throws a 401.
export default defineEventHandler(async (event) => {
  const userId = requireUser(event)
  return db.invoices.findMany({ where: { userId } })
})
