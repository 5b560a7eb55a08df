import { auth } from '@clerk/nextjs/server'

type UserHandler = (req: Request, userId: string | null) => Promise<Response>

export function withUser(
  handler: UserHandler,
  options: { requireUser?: boolean; log?: boolean } = { requireUser: true, log: false },
) {
  return async (req: Request) => {
    const { userId } = await auth()
    if (options.requireUser && !userId) {
      return Response.json({ error: 'sign in first' }, { status: 401 })
    }
    return handler(req, userId)
  }
}

// No options: `withUser`'s default turns the check on.
export function withSyncedUser(handler: UserHandler) {
  return withUser(async (req, userId) => {
    console.info('sync', userId)
    return handler(req, userId)
  })
}
