import { redirect } from 'react-router'
import { getAuth } from '@clerk/react-router/server'
import { db } from '../db.server'
import { requireUserId } from '../session.server'

export async function loader(args: { request: Request; context: unknown }) {
  const { userId } = await getAuth(args as never)
  if (!userId) return redirect('/sign-in')
  return db.settings.forUser(userId)
}

export async function action(args: { request: Request; context: unknown; params: unknown }) {
  const userId = await requireUserId(args)
  return db.settings.forUser(userId)
}
