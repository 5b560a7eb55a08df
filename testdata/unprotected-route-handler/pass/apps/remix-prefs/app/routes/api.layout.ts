import type { ActionFunctionArgs } from '@remix-run/node'
import { json } from '@remix-run/node'
import { layoutCookie } from '../prefs.server'

// Reads the posted form and answers with the caller's own unsigned cookie: nothing on the
// server is read or changed.
export async function action({ request }: ActionFunctionArgs) {
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
