import { createNextApiHandler } from '@trpc/server/adapters/next'
import { internalRouter } from '@/server/routers/internal'

export default createNextApiHandler({ // expect: unprotected-route-handler
  router: internalRouter,
  createContext: ({ req }) => ({ user: req.headers['x-user'] }),
})
