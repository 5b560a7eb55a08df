import { Inngest } from 'inngest'
import { db } from './db'

export const inngest = new Inngest({ id: 'jobs' })

// Runs for events Inngest delivers to the serve endpoint, never for a browser's request.
export const recordSignup = inngest.createFunction(
  { id: 'record-signup' },
  { event: 'clerk/user.created' },
  async ({ event }) => {
    await db.user.create({ data: { id: event.data.id } })
  },
)
