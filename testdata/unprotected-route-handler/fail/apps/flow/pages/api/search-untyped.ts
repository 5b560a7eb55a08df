// Near miss: the first parameter is typed loosely, so it takes whatever Next.js passes: the request.
export default async function search(req: any, res: any) { // expect: unprotected-route-handler
  const upstream = await fetch(`${process.env.BACKEND_URL}/contexts`, {
    method: 'POST',
    body: JSON.stringify(req.body),
  })
  res.json(await upstream.json())
}
