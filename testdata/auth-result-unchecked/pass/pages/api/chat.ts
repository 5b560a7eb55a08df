import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'

// The id is copied into a name declared before the `try` (for the error log), and checked there.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  let clerkUserId: string | null = null
  try {
    const { userId } = getAuth(req)
    clerkUserId = userId
    if (!clerkUserId) return res.status(401).json({ error: 'Unauthorized' })
    return res.status(200).json({ reply: `hello ${clerkUserId}` })
  } catch (error) {
    console.error('chat failed for', clerkUserId, error)
    return res.status(500).end()
  }
}
