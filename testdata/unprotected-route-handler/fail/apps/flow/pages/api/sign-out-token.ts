import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '../../lib/db'

// Clears the cookie, but the redirect carries a token it read.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  const invite = await db.invite.findFirst({ where: { email: req.query.email as string } })
  res.setHeader('set-cookie', `attendee=deleted; Max-Age=0; path=/`)
  res.redirect(`/welcome?token=${invite?.token}`)
}
