import { data } from 'react-router'
import { getAuth } from '@clerk/react-router/server'
import { db } from '../db.server'

export async function loader(args: { request: Request; context: unknown; params: { id: string } }) {
  const { userId } = await getAuth(args as never)
  if (!userId) throw data('Unauthorized', { status: 401 })
  return db.settings.forUser(userId)
}
