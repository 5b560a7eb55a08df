import { db } from '../utils/db'

export default defineEventHandler(async (event) => {
  const { auth } = event.context
  const { userId } = auth()
  if (!userId) throw createError({ statusCode: 401 })
  return db.settings(userId)
})
