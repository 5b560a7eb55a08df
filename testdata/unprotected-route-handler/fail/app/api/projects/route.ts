import { auth } from '@clerk/nextjs/server'

export async function GET() { // expect: unprotected-route-handler
  return Response.json(await listAll())
}

export async function POST(req: Request) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json({ ok: true, userId })
}

async function listAll() {
  return []
}
