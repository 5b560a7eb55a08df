'use server'

import { auth, currentUser } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'
import { requireUser } from '@/lib/auth'
import { db } from '@/lib/db'

export async function a(text: string) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  await db.insert(userId, text)
}

export async function b() {
  await auth.protect()
  await db.remove('x')
}

export async function c() {
  const user = await currentUser()
  if (!user) redirect('/sign-in')
  await db.remove(user.id)
}

export async function d() {
  const userId = await requireUser()
  await db.remove(userId)
}

export async function e() {
  const { isAuthenticated, userId } = await auth()
  if (!isAuthenticated) {
    return { error: 'Not signed in' }
  }
  await db.remove(userId!)
}
