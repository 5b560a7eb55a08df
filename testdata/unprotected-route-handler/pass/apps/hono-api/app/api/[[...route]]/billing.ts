import { clerkMiddleware, getAuth } from '@hono/clerk-auth'
import { Hono } from 'hono'
import { db } from '@/lib/db'
import { requireUser } from '@/lib/hono-auth'

const billing = new Hono()
billing.use('*', clerkMiddleware())
billing.use('*', requireUser)
billing.get('/invoices', async (c) => {
  const auth = getAuth(c)
  return c.json({ data: await db.invoices.list(auth?.userId ?? '') })
})

export default billing
