import { metrics } from '@/lib/metrics'

// A missing setting is refused in production only: once the token is configured, nothing
// compares it with the request, so the handler answers everyone (and does in development).
export async function GET() { // expect: unprotected-route-handler
  const token = process.env.METRICS_TOKEN
  if (!token && process.env.NODE_ENV === 'production') {
    return new Response('Metrics token not configured', { status: 503 })
  }
  return Response.json(await metrics.snapshot())
}
