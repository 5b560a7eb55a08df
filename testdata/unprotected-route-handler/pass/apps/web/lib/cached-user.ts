import { cache } from 'react'
import { auth } from '@clerk/nextjs/server'

export const getProfile = cache(async () => {
  const { userId } = await auth()
  if (!userId) return null
  return { userId }
})

export async function historyForUser() {
  const profile = await getProfile()
  if (!profile) return []
  return [profile.userId]
}
