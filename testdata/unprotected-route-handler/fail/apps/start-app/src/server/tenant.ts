import { createMiddleware, createServerFn } from '@tanstack/react-start'
import { getHeader } from '@tanstack/react-start/server'
import { db } from './db'

// The context's user id comes from a request header, not from the session.
const withHeaderUser = createMiddleware({ type: 'function' }).server(async ({ next }) => {
  return next({ context: { userId: getHeader('x-user-id') } })
})

export const listInvoices = createServerFn({ method: 'GET' }) // expect: unprotected-route-handler
  .middleware([withHeaderUser])
  .handler(async ({ context }) => {
    if (!context?.userId) {
      throw new Error('Unauthorized')
    }
    return db.invoice.findMany({ where: { userId: context.userId } })
  })
