import { auth } from '@clerk/nextjs/server'

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const { id } = await params
  return Response.json({ id, owner: userId })
}
