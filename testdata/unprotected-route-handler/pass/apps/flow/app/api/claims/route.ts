import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function DELETE(req: Request) {
  const { sessionClaims } = await auth()
  if (sessionClaims?.metadata?.role !== 'admin') throw new Error('Forbidden')
  await db.user.delete({ where: { id: new URL(req.url).searchParams.get('id') ?? '' } })
  return new Response(null, { status: 204 })
}
