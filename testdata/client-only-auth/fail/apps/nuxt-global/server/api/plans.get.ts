export default defineEventHandler(async () => db.plans.all()) // expect: unprotected-route-handler
