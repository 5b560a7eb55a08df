import { createServerFn } from '@tanstack/react-start'
import { withUserId } from './context'
import { db } from './db'

// The handler leaves on the context the middleware filled from the session.
export const getAccount = createServerFn({ method: 'GET' })
  .middleware([withUserId])
  .handler(async ({ context }) => {
    if (!context?.userId) {
      throw new Error('Unauthorized')
    }
    return db.account.findFirst({ where: { userId: context.userId } })
  })
