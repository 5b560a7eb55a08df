import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth, clerkClient } from '@clerk/nextjs/server'

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  const client = await clerkClient()
  await client.users.deleteUser(req.query.id as string) // expect: missing-role-check
  res.status(204).end()
}
