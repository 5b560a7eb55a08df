import type { NextApiRequest, NextApiResponse } from 'next'
import { db } from './db'

export default async function relay(req: NextApiRequest, res: NextApiResponse) {
  const note = await db.note.create({ data: { body: String(req.body.text) } })
  res.status(201).json(note)
}
