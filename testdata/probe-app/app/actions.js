'use server'

import { auth } from '@clerk/nextjs/server'

export async function rename(name) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return { userId, name }
}
