import { getAuth } from '@clerk/nextjs/server'
import { createNextApiHandler } from '@trpc/server/adapters/next'
import { legacyRouter } from '@/server/routers/legacy'

export default createNextApiHandler({
  router: legacyRouter,
  createContext: ({ req }) => ({ auth: getAuth(req) }),
})
