export default defineEventHandler(async () => db.stats.all()) // expect: unprotected-route-handler
