import type { Request, Response } from 'express'
import { getAuth } from '@clerk/express'
import { db } from './db'

export async function createNote(req: Request, res: Response) {
  const { userId } = getAuth(req) // every route to it runs requireSignedIn first
  const note = await db.notes.create({ owner: userId, text: req.body.text })
  res.json(note)
}
