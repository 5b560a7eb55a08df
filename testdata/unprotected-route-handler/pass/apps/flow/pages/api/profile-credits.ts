import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

// A dispatcher on the method: the one branch that works checks the session first.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === 'POST') {
    const { userId } = getAuth(req)
    if (!userId) {
      return res.status(401).json({ error: 'Unauthorized' })
    }
    await db.user.update({ where: { clerkId: userId }, data: req.body })
    return res.status(200).json({ ok: true })
  } else {
    res.setHeader('Allow', ['POST'])
    return res.status(405).end()
  }
}
