import { getServerConfig } from '@acme/config'
import { metrics } from '@/lib/metrics'

// A monitoring endpoint: the bearer header against a token of the server's configuration.
export async function GET(request: Request) {
  const config = getServerConfig()
  if (!config.metricsEnabled) {
    return new Response(null, { status: 404 })
  }
  const header = request.headers.get('authorization')
  const metricsToken = config.metricsToken
  const expected = `Bearer ${metricsToken ?? 'local-only'}`
  if (header !== expected) {
    return new Response('Unauthorized', { status: 401 })
  }
  return Response.json(await metrics.snapshot())
}
