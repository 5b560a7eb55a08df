import { authMiddleware } from '@clerk/nextjs/server'

export default authMiddleware({ publicRoutes: ['/'] }) // expect: deprecated-auth-middleware
