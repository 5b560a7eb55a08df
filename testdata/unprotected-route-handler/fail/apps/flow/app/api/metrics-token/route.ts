import { metrics } from '@/lib/metrics'

// Near miss: the expected value comes from the request itself.
export async function GET(request: Request) { // expect: unprotected-route-handler
  const header = request.headers.get('authorization')
  const expected = `Bearer ${new URL(request.url).searchParams.get('key')}`
  if (header !== expected) {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json(await metrics.snapshot())
}
