export default defineEventHandler(async () => { // expect: unprotected-route-handler
  return db.orders.findMany()
})
