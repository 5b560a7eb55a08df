export default defineEventHandler(async () => db.plans.all())
