import { getAuth } from '@clerk/nextjs/server'

async function requireUser(req) {
  const { userId } = getAuth(req)
  if (!userId) throw new Error('Unauthorized')
  return userId
}

// One branch of the dispatcher does its work without the check.
export default async function handler(req, res) { // expect: unprotected-route-handler
  switch (req.body.action) {
    case 'list':
      return res.json(await listEverything())
    case 'delete': {
      await requireUser(req)
      return res.json({ ok: true })
    }
    default:
      return res.status(400).json({ error: 'unknown action' })
  }
}

async function listEverything() {
  return []
}
