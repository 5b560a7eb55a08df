import { authMiddleware } from '@clerk/nextjs/server'

export default authMiddleware({
  publicRoutes: ['/', '/api/:path*'], // expect: middleware-matcher-gap
})
