import { softCheck } from '../../../lib/soft-check'

export async function PUT() { // expect: unprotected-route-handler
  await softCheck()
  return Response.json({ updated: true })
}
