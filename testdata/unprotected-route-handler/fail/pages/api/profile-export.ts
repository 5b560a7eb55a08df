import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { db } from '../../lib/db-stub'

// The POST branch checks; the GET branch reads any profile for anyone.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  if (req.method === 'POST') {
    const { userId } = getAuth(req)
    if (!userId) return res.status(401).json({ error: 'Unauthorized' })
    await db.audit.create({ data: { by: userId } })
    return res.status(200).json({ ok: true })
  } else if (req.method === 'GET') {
    return res.status(200).json(await db.audit.findMany({ where: { id: req.query.id } }))
  } else {
    return res.status(405).end()
  }
}
