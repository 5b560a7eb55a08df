import { dropIndex, search } from '../../../lib/search'

export async function GET(req: Request) {
  const q = new URL(req.url).searchParams.get('q')
  return Response.json(await search(q))
}

export async function DELETE() {
  await dropIndex()
  return new Response(null, { status: 204 })
}
