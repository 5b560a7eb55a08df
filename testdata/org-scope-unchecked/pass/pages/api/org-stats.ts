import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId, orgId } = getAuth(req)
  if (!userId || req.query.orgId !== orgId) return res.status(403).end()
  const rows = await db.report.findMany({ where: { orgId: req.query.orgId as string } })
  res.json(rows)
}
