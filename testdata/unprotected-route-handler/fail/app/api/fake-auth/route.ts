// A local function named auth is not Clerk's.
const auth = () => ({ userId: 'always-someone' })

export async function GET() { // expect: unprotected-route-handler
  const { userId } = auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  return Response.json({ userId })
}
