import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '../../lib/db'

async function validateApiKeyAndLoadOwner(key: string) {
  const row = await db.apiKey.findFirst({ where: { key, active: true } })
  return { valid: row !== null, owner: row?.ownerId ?? null }
}

// Near miss: the key's verdict is only logged; every caller gets the owner's rows.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  const { key } = req.body
  const { valid, owner } = await validateApiKeyAndLoadOwner(key)
  if (!valid) {
    console.warn('unknown key')
  }
  res.json(await db.note.findMany({ where: { ownerId: owner } }))
}
