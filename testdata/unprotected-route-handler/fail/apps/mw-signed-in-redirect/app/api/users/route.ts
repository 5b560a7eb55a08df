export async function GET() { // expect: unprotected-route-handler
  return Response.json({ secret: 'data' })
}
