import { authMiddleware } from '@clerk/nextjs'

export default authMiddleware({ // expect: deprecated-auth-middleware
  publicRoutes: ['/', '/api/public'],
})
