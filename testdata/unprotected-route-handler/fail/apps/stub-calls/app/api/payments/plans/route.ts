import { customers } from '@/lib/plans'

// The store is named in a template's substitution: read, not text.
export function GET() { // expect: unprotected-route-handler
  return Response.json({ message: `customers: ${JSON.stringify([...customers.values()])}` })
}
