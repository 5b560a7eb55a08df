import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextRequest, NextResponse } from 'next/server'

type Access = 'open' | 'member'

// Paths anyone may call; everything else needs a signed-in member.
const ACCESS_RULES: { prefix: string; access: Access }[] = [
  { prefix: '/api/status', access: 'open' },
  { prefix: '/api/hooks', access: 'open' },
]

function accessFor(path: string): Access {
  for (const rule of ACCESS_RULES) {
    if (path.startsWith(rule.prefix)) return rule.access
  }
  return 'member'
}

function toLogin(req: NextRequest) {
  const target = new URL('/login', req.url)
  target.searchParams.set('next', req.nextUrl.pathname)
  return NextResponse.redirect(target)
}

async function requireMember(session: { userId: string | null }, req: NextRequest, access: Access) {
  switch (access) {
    case 'open':
      return null
    default:
      if (!session.userId) return toLogin(req)
      return null
  }
}

export default clerkMiddleware(async (auth, req) => {
  const access = accessFor(req.nextUrl.pathname)
  if (access === 'open') return NextResponse.next()
  const session = await auth()
  const blocked = await requireMember(session, req, access)
  if (blocked) return blocked
  return NextResponse.next()
})
