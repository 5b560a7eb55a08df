export default defineEventHandler(async (event) => { // expect: unprotected-route-handler
  return db.profiles.find(getQuery(event).userId)
})
