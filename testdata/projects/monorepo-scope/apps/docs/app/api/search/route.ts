export async function GET(req: Request) {
  const q = new URL(req.url).searchParams.get('q')
  return Response.json({ q, hits: [] })
}

export async function DELETE() {
  return new Response(null, { status: 204 })
}
