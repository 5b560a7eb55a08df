import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '../../lib/db'

// Looks the posted key up and reports it with a boolean field.
async function validateApiKeyAndLoadOwner(key: string) {
  const row = await db.apiKey.findFirst({ where: { key, active: true } })
  return { valid: row !== null, owner: row?.ownerId ?? null }
}

// A machine caller's key, refused with 403 when the lookup did not find it active.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { key } = req.body
  const { valid, owner } = await validateApiKeyAndLoadOwner(key)
  if (!valid) {
    return res.status(403).json({ error: 'invalid key' })
  }
  res.json({ owner })
}
