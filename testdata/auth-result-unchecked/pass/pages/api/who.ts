import { getAuth } from '@clerk/nextjs/server'

export default function handler(req, res) {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.json({ userId })
}
