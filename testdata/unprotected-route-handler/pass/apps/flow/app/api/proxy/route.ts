import { auth } from '@clerk/nextjs/server'

// The backend verifies the forwarded session token itself.
export async function GET() {
  const { getToken } = await auth()
  const token = await getToken()
  const res = await fetch(`${process.env.BACKEND_URL}/items`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  return Response.json(await res.json())
}
