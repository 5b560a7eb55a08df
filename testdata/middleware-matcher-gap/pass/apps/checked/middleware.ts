import { authMiddleware } from '@clerk/nextjs/server'

// Public and ignored trees whose handlers check the session themselves.
export default authMiddleware({
  publicRoutes: ['/', '/api(.*)'],
  ignoredRoutes: ['/api/cron(.*)'],
})
