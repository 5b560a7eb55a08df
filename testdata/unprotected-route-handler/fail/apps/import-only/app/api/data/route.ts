import { listRows } from '../../../lib/rows'

export async function GET() { // expect: unprotected-route-handler
  return Response.json(await listRows())
}
