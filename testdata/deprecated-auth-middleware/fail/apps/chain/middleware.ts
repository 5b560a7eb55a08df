import { authMiddleware } from '@clerk/nextjs/server'
import { chain } from './lib/chain'

const withAuth = (next) => (req, ev) =>
  authMiddleware({ publicRoutes: ['/'] })(req, ev) // expect: deprecated-auth-middleware

export default chain([withAuth])
