// A private folder is not routed: silent.
export async function GET() {
  return Response.json({ secret: true })
}
