import { withLogging } from '@/lib/with-logging'

export const POST = withLogging(async (req) => { // expect: unprotected-route-handler
  return Response.json(await req.json())
})
