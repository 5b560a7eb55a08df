import { authMiddleware } from '@clerk/nextjs/server'
import type { NextFetchEvent, NextRequest } from 'next/server'

export default function middleware(req: NextRequest, ev: NextFetchEvent) {
  const { pathname } = req.nextUrl
  return authMiddleware({
    publicRoutes: [pathname], // expect: middleware-matcher-gap
  })(req, ev)
}
