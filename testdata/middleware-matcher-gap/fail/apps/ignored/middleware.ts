import { authMiddleware } from '@clerk/nextjs/server'

export default authMiddleware({
  publicRoutes: ['/'],
  ignoredRoutes: ['/api/cron(.*)'], // expect: middleware-matcher-gap
})
