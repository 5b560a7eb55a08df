import { db } from '@/lib/db'

async function handler(req: Request) {
  return Response.json({ items: await db.item.findMany() })
}

export { handler as GET, handler as POST }
