import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '../../lib/db'

// Returns nothing, but answers the rows it read through `res`.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  const rows = await db.attendee.findMany({ where: { event: req.query.event as string } })
  res.json(rows)
}
