import { getAuth } from '@clerk/nextjs/server'

export default async function handler(req, res) { // expect: unprotected-route-handler
  if (req.method === 'GET') {
    return res.json({ totals: await totals() })
  }
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  res.json({ ok: true })
}

async function totals() {
  return 1
}
