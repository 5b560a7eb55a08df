import { db } from '../../../lib/db'

// A public profile page's data: it reads the named user's public fields and changes nothing.
export async function GET(req: Request) {
  const userId = new URL(req.url).searchParams.get('userId')
  const profile = await db.profile.findFirst({ where: { userId }, select: { name: true } })
  return Response.json(profile)
}
