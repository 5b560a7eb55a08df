import { db } from '../../utils/db'

export default defineEventHandler(async (event) => {
  const { userId } = event.context.auth()
  if (!userId) {
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
  }
  return db.deleteOrder(userId, getRouterParam(event, 'id'))
})
