async function handler(req: Request) {
  return Response.json({ items: [] })
}

export {
  handler as GET, // expect: unprotected-route-handler
  handler as POST, // expect: unprotected-route-handler
}
