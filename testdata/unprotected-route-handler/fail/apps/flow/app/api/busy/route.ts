import { getStats } from '@/lib/stats'

// No await, but it calls into the project: that is work.
export function GET() { // expect: unprotected-route-handler
  return Response.json(getStats())
}
