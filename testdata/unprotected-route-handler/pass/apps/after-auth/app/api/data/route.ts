// Protected by the middleware of this app.
export async function GET() {
  return Response.json({ data: [] })
}
