export default defineEventHandler(async () => db.members.all()) // expect: unprotected-route-handler
