import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from '../../lib/db-stub'

// Validates the body (a type test of a field named like a token count), checks nothing else:
// anyone spends anyone's credits.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // expect: unprotected-route-handler
  const { userId, tokensUsed } = req.body
  if (!userId || typeof tokensUsed !== 'number') {
    return res.status(400).json({ error: 'Invalid request' })
  }
  await db.audit.update({ where: { id: userId }, data: { credits: { decrement: tokensUsed } } })
  return res.status(200).json({ ok: true })
}
