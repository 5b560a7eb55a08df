export async function POST(req: Request) {
  const secret = req.headers.get('x-cron-secret')
  const expected = process.env.CRON_SECRET
  if (!expected || secret !== expected) {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json({ ran: true })
}
