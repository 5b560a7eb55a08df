import { getAuth } from '@clerk/nextjs/server'

export default function handler(req, res) {
  const { userId } = getAuth(req) // expect: auth-result-unchecked
  res.json({ userId })
}
