// Protected by the middleware (deny-list covers /dashboard(.*)): silent.
export async function GET() {
  return Response.json({ stats: [] })
}
