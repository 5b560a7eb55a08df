import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  const rows = await db.report.findMany({ where: { orgId: req.query.orgId as string } }) // expect: org-scope-unchecked
  res.json(rows)
}
