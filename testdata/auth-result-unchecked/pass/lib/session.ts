import { auth } from '@clerk/nextjs/server'

// Hands the result to the caller, who checks it.
export async function session() {
  return auth()
}

export async function requireOwner(id: string) {
  const { userId } = await auth()
  assertOwner(userId, id)
}

function assertOwner(userId: string | null, id: string) {
  if (userId !== id) throw new Error('Forbidden')
}
