import { validateApiKey } from '@/lib/keys'
import { db } from '@/lib/db'

export async function GET(req: Request) {
  if (!(await validateApiKey(req.headers.get('authorization')))) {
    return Response.json({ error: 'invalid key' }, { status: 401 })
  }
  return Response.json(await db.event.findMany())
}
