import { auth } from '@clerk/nextjs/server'
import type { NextRequest } from 'next/server'
import { db } from '@/lib/db'

export async function GET(req: Request) {
  await auth.protect()
  const orgId = new URL(req.url).searchParams.get('orgId')
  return Response.json(await db.report.findMany({ where: { orgId } })) // expect: org-scope-unchecked
}

export async function DELETE(req: NextRequest) {
  await auth.protect()
  await db.report.updateMany({ where: { orgId: req.nextUrl.searchParams.get('organizationId') } }) // expect: org-scope-unchecked
  return new Response(null, { status: 204 })
}
