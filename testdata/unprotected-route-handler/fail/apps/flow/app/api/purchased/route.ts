import { auth } from '@clerk/nextjs/server'
import { hasPurchased } from '@/lib/purchases'
import { db } from '@/lib/db'

export async function GET(req: Request) { // expect: unprotected-route-handler
  const { userId } = await auth()
  const courseId = new URL(req.url).searchParams.get('course') ?? ''
  if (!(await hasPurchased(userId, courseId))) return new Response('Forbidden', { status: 403 })
  return Response.json(await db.chapter.findMany({ where: { courseId } }))
}
