import { auth } from '@clerk/nextjs/server'
import { countUsed, getLocations, listAll } from '@/lib/locations'

export async function GET() {
  const { orgId } = await auth() // expect: auth-result-unchecked
  return Response.json(await getLocations({ id: orgId, name: 'main' }))
}

export async function POST() {
  const { orgId } = await auth() // expect: auth-result-unchecked
  return Response.json(await listAll({ id: orgId }))
}

export async function PUT() {
  const { orgId } = await auth() // expect: auth-result-unchecked
  return Response.json({ count: await countUsed({ id: orgId }) })
}
