'use server'

import { auth } from '@clerk/nextjs/server'
import { setOwnRole } from '@/lib/self-role'

// A server action's arguments are the client's choice: the helper writes it as the caller's role.
export async function chooseRole(role: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Not signed in')
  await setOwnRole(userId, role) // expect: missing-role-check
}
