'use server'

import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function createNote(text: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  await db.insert(userId, text)
}

export async function deleteNote(id: string) { // expect: unprotected-server-action
  await db.remove(id)
}

export const updateNote = async (id: string, text: string) => { // expect: unprotected-server-action
  await db.update(id, text)
}

export async function softDelete(id: string) { // expect: unprotected-server-action
  await currentOrNull()
  await db.remove(id)
}

async function currentOrNull() {
  const { userId } = await auth()
  if (!userId) return null
  return userId
}
