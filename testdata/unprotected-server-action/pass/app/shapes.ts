'use server'

import { z } from 'zod'

// Types, interfaces and data are not actions (Next.js only exposes async functions).
export type NoteInput = { text: string }
export interface NoteRow {
  id: string
}
export const LIMIT = 20
export const noteSchema = z.object({ text: z.string().max(LIMIT) })

// Reshapes what it is given: no data is read or written.
export async function copyDay(days: { day: number; slots: string[] }[], from: number, to: number) {
  const source = days.find((d) => d.day === from)
  return days.map((d) => (d.day === to ? { ...d, slots: [...(source?.slots ?? [])] } : d))
}
