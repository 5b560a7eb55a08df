import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { db } from '../../lib/db'

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const userId = getAuth(req).userId
  if (!userId) return res.status(401).json({ error: 'Unauthorized' })
  res.json(await db.note.findMany({ where: { userId } }))
}
