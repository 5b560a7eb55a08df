import type { NextApiRequest, NextApiResponse } from 'next'
import { getAuth } from '@clerk/nextjs/server'

// Copied and logged, never tested.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  let clerkUserId: string | null = null
  const { userId } = getAuth(req) // expect: auth-result-unchecked
  clerkUserId = userId
  console.log('chat for', clerkUserId)
  return res.status(200).json({ reply: 'hello' })
}
