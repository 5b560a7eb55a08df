import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '../../lib/db'

// Clears the cookie and goes home, but also checks the attendee out on the server.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  const id = req.query.attendee as string
  await db.attendee.update({ where: { id }, data: { checkedOut: true } })
  res.setHeader('set-cookie', `attendee=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`)
  res.redirect('/')
}
