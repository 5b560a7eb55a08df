import { db } from '../../../lib/db'

// Names a user but only reads whether the handle is taken: nothing changes.
export async function POST(req: Request) {
  const { userId } = await req.json()
  const taken = await db.handle.findFirst({ where: { userId } })
  return Response.json({ taken: Boolean(taken) })
}
