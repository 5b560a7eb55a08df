import { createServerFn } from '@tanstack/react-start'
import { auth } from '@clerk/tanstack-react-start/server'
import { authed } from './middleware'

export const listNotes = createServerFn({ method: 'GET' })
  .middleware([authed])
  .handler(async ({ context }) => fetch(`https://api.example.com/notes?u=${context.userId}`).then((r) => r.json()))

async function requireUser() {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return userId
}

export const saveNote = createServerFn({ method: 'POST' })
  .validator((d: { text: string }) => d)
  .handler(async ({ data }) => {
    const userId = await requireUser()
    await fetch('https://api.example.com/notes', { method: 'POST', body: JSON.stringify({ ...data, userId }) })
    return { ok: true }
  })

// Answers the caller's own session state: no data.
export const whoAmI = createServerFn({ method: 'GET' }).handler(async () => {
  const { userId } = await auth()
  return { userId }
})

// A helper that returns the session as an object, and a client factory that falls back to
// the signed-in user: both reject a signed-out caller before any data is read.
async function session() {
  const { userId } = await auth()
  return { userId }
}

export const countNotes = createServerFn({ method: 'GET' }).handler(async () => {
  const { userId } = await session()
  if (!userId) throw new Error('Unauthorized')
  return fetch(`https://api.example.com/notes/count?u=${userId}`).then((r) => r.json())
})

async function client(asUser?: string) {
  const user = asUser ?? (await requireUser())
  return { get: (path: string) => fetch(`https://api.example.com${path}?u=${user}`) }
}

export const archiveNotes = createServerFn({ method: 'POST' }).handler(async () => {
  const api = await client()
  return api.get('/archive')
})
