'use server'

import { z } from 'zod'

// Types, interfaces and data are not actions (Next.js only exposes async functions).
export type NoteInput = { text: string }
export interface NoteRow {
  id: string
}
export const LIMIT = 20
export const noteSchema = z.object({ text: z.string().max(LIMIT) })
