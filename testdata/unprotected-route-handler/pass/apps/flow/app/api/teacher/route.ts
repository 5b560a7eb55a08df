import { auth } from '@clerk/nextjs/server'
import { redirect } from 'next/navigation'
import { isTeacher } from '@/lib/teacher'
import { db } from '@/lib/db'

export async function POST(req: Request) {
  const { userId } = await auth()
  if (!isTeacher(userId)) redirect('/')
  return Response.json(await db.course.create({ data: await req.json() }))
}
