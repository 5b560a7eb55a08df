export const DELETE = async (req: Request) => { // expect: unprotected-route-handler
  return new Response(null, { status: 204 })
}
