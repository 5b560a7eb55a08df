import { createServerFn } from '@tanstack/react-start'
import { db } from './db'

export const listNotes = createServerFn({ method: 'GET' }).handler(async () => { // expect: unprotected-route-handler
  return db.notes.all()
})

export const deleteNote = createServerFn({ method: 'POST' }) // expect: unprotected-route-handler
  .inputValidator((id: string) => id)
  .handler(async ({ data }) => {
    await db.notes.remove(data)
    return { ok: true }
  })

// The object it returns carries no session value: testing `ok` proves nothing.
async function status() {
  const res = await fetch('https://status.example.com')
  return { ok: res.ok }
}

export const exportNotes = createServerFn({ method: 'GET' }).handler(async () => { // expect: unprotected-route-handler
  const { ok } = await status()
  if (!ok) throw new Error('down')
  return db.notes.all()
})
