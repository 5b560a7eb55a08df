import { getAuth } from '@clerk/nextjs/server'

async function requireUser(req) {
  const { userId } = getAuth(req)
  if (!userId) throw new Error('Unauthorized')
  return userId
}

// Every branch that does work checks the session first.
export default async function handler(req, res) {
  if (req.method !== 'POST') return res.status(405).end()
  switch (req.body.action) {
    case 'list': {
      await requireUser(req)
      return res.json([])
    }
    case 'delete':
      await requireUser(req)
      return res.json({ ok: true })
    default:
      return res.status(400).json({ error: 'unknown action' })
  }
}
