// Protected by the allow-list middleware.
export async function GET() {
  return Response.json({ me: true })
}
