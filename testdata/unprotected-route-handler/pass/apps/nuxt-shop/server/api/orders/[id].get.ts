import { requireAuth } from '../../utils/auth'

// Near miss: the same helper, imported explicitly.
export default defineEventHandler(async (event) => {
  const userId = requireAuth(event)
  return db.order(userId, getRouterParam(event, 'id'))
})
