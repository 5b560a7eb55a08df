import { auth } from '@clerk/nextjs/server'

export function withAuth<A extends unknown[], R>(fn: (userId: string, ...args: A) => Promise<R>) {
  return async (...args: A) => {
    const { userId } = await auth()
    if (!userId) throw new Error('Unauthorized')
    return fn(userId, ...args)
  }
}
