import { authMiddleware } from '@clerk/nextjs/server'
import type { NextFetchEvent, NextRequest } from 'next/server'

export default (req: NextRequest, ev: NextFetchEvent) =>
  authMiddleware({ publicRoutes: ['/'] })(req, ev) // expect: deprecated-auth-middleware
