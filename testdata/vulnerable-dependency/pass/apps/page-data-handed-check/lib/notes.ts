import { auth } from '@clerk/nextjs/server'

export async function listNotes() {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  const res = await fetch(`https://internal.example.com/users/${userId}/notes`)
  return res.json()
}
