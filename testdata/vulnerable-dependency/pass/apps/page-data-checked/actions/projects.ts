'use server'

import { auth } from '@clerk/nextjs/server'

export async function getProject(id: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  const res = await fetch(`https://internal.example.com/users/${userId}/projects/${id}`)
  return res.json()
}
