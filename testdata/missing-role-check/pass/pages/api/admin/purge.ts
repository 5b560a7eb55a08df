import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth, clerkClient } from '@clerk/nextjs/server'

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId, has } = getAuth(req)
  if (!userId || !has({ role: 'org:admin' })) return res.status(403).end()
  const client = await clerkClient()
  await client.users.deleteUser(req.query.id as string)
  res.status(204).end()
}
