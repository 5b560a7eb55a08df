import { backendFetch } from '@/lib/backend'

// `backendFetch` attaches the session token; the orders service verifies it.
export async function GET() {
  return Response.json(await backendFetch('/orders'))
}
