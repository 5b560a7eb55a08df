import { backendFetch } from '@/lib/backend'

// Nothing says this client forwards the session: judged as it stands.
export async function GET() { // expect: unprotected-route-handler
  return Response.json(await backendFetch('/orders'))
}
