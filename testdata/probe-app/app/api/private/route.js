// Protected by `auth.protect()` in middleware.js (signed-out API requests get a 404).
export async function GET() {
  return Response.json({ secret: 'plans' })
}
