// Only the middleware protects it; no `.rsc` or segment-prefetch variant of a page's URL reaches it.
export async function GET() {
  const res = await fetch('https://internal.example.com/reports')
  return Response.json(await res.json())
}
