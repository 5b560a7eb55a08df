export default defineEventHandler(async () => db.stats.all())
