export async function POST(req: Request) { // expect: unprotected-route-handler
  return Response.json(await req.json())
}
