// Public on purpose (the catalogue); reported by unprotected-route-handler, not here.
export default defineEventHandler(async () => db.products.findMany())
