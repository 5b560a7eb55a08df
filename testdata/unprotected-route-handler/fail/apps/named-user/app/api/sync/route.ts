import { NextResponse } from 'next/server'
import { db } from '../../../lib/db'

// Declared public, yet it refreshes the mailbox of whichever user the body names.
export async function POST(req: Request) { // expect: unprotected-route-handler
  const { accountId, userId } = await req.json()
  const account = await db.account.findFirst({ where: { id: accountId, userId } })
  if (!account) return NextResponse.json({ error: 'not found' }, { status: 404 })
  await db.account.update({ where: { id: account.id }, data: { syncedAt: new Date() } })
  return NextResponse.json({ ok: true })
}
