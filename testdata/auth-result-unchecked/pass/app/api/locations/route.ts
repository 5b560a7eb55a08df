import { auth } from '@clerk/nextjs/server'
import { getLocations, listFor } from '@/lib/locations'

// The org id goes where the helper tests it and returns nothing without it.
export async function GET() {
  const { orgId } = await auth()
  const locations = await getLocations({ id: orgId })
  return Response.json(locations)
}

// The second argument, refused with a 401 when missing.
export async function POST() {
  const { userId } = await auth()
  return listFor('notes', userId)
}
