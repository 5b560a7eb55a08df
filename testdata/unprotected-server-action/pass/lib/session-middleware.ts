import { auth } from '@clerk/nextjs/server'

export async function requireSession({ next }: { next: (o: { ctx: { userId: string } }) => Promise<unknown> }) {
  const { userId } = await auth()
  if (!userId) throw new Error('Unauthorized')
  return next({ ctx: { userId } })
}
