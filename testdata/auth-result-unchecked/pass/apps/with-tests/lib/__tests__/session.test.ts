import { auth } from '@clerk/nextjs/server'
import { db } from '../db'

// A test drives the session API directly; no request is ever served from here.
export async function recordsAVisitWhenSignedOut() {
  const { userId } = await auth()
  await db.visit.create({ data: { userId } })
  return 'recorded'
}
