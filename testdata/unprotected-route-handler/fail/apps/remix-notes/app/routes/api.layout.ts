import type { ActionFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import { layoutCookie } from '../prefs.server'

// Near miss: the cookie is signed with the server's secret, so the action signs whatever the
// caller posts.
export async function action({ request }: ActionFunctionArgs) { // expect: unprotected-route-handler
  const form = await request.formData()
  const compact = form.get('compact') === 'on'
  const sidebar = form.get('sidebar') === 'on'
  if (!compact && !sidebar) {
    return json({ error: 'pick at least one' }, { status: 400 })
  }
  const value = JSON.stringify({ compact, sidebar })
  return json(
    { ok: true },
    { headers: { 'Set-Cookie': await layoutCookie.serialize(value) } },
  )
}
