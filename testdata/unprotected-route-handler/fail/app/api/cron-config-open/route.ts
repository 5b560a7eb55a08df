import { getRuntimeConfig } from '@acme/config/runtime'
import { db } from '@/lib/db-stub'

// A config value tested, but no secret compared.
export async function GET() { // expect: unprotected-route-handler
  const { region } = getRuntimeConfig()
  if (!region) {
    return new Response('Not configured', { status: 500 })
  }
  await db.audit.create({ data: { region } })
  return Response.json({ ok: true })
}
