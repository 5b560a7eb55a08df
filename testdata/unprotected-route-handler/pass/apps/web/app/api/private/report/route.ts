// The middleware's deny-list covers /api/private(.*).
export async function GET() {
  return Response.json({ report: [] })
}
