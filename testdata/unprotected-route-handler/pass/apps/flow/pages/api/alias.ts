import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { db } from '../../lib/db'

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const a = getAuth(req)
  const id = a.userId
  if (!id) return res.status(401).end()
  res.json(await db.note.findMany({ where: { userId: id } }))
}
