import { verifyToken } from '@clerk/backend'

export async function GET(req: Request) {
  const token = req.headers.get('authorization')?.replace('Bearer ', '') ?? ''
  try {
    await verifyToken(token, { secretKey: process.env.CLERK_SECRET_KEY })
  } catch {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json({ ok: true })
}
