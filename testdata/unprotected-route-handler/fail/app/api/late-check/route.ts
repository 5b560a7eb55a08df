import { auth } from '@clerk/nextjs/server'
import { prisma } from '../../../lib/prisma-stub'

// The row is written before anyone asks who is calling.
export async function POST(req: Request) { // expect: unprotected-route-handler
  const body = await req.json()
  const row = await prisma.comment.create({ data: body })
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json(row)
}

// Reads the body first, then checks, then writes: protected.
export async function PUT(req: Request) {
  const body = await req.json()
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json(await prisma.comment.update({ where: { id: body.id }, data: body }))
}
