import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { listNotes } from '../../lib/notes'

// Pages Router only: the RSC advisory is not reachable here, but the version is affected.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).json({ error: 'unauthorized' })
  res.status(200).json(await listNotes(userId))
}
