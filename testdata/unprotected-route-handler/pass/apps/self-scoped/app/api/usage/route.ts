import { orgStatus } from '../../../lib/subscription'

export async function GET() {
  return Response.json(await orgStatus())
}
