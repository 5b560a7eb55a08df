// A leftover import: nothing here runs it.
import { requireAuth } from '@clerk/express'

export const port = Number(process.env.PORT ?? 3000)
