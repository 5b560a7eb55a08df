const users = [{ id: 1, email: 'ada@example.com' }]

// No session check, and the middleware does not protect /api/open.
export async function GET() {
  return Response.json({ users })
}

export async function POST(request) {
  const body = await request.json()
  users.push(body)
  return Response.json({ ok: true })
}
