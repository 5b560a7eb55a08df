import { saveItem } from '../../users.server'

export const action = async ({ request }: { request: Request }) => { // expect: unprotected-route-handler
  await saveItem(await request.json())
  return Response.json({ ok: true })
}
