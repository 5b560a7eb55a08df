import { auth } from '@clerk/nextjs/server'
import { supabase } from '@/lib/supabase'

// The chain is keyed by a user id the caller sends, not the session's.
export async function GET(req: Request, { params }: { params: { orgId: string } }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const orgId = params.orgId
  const asUser = new URL(req.url).searchParams.get('user') ?? ''
  const { data } = await supabase.from('org_members').select('role').eq('user_id', asUser).eq('org_id', orgId).single() // expect: org-scope-unchecked
  return Response.json({ role: data?.role })
}

// Keyed by the caller, but the chain writes: any signed-in user joins any organization.
export async function POST(_req: Request, { params }: { params: { orgId: string } }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const orgId = params.orgId
  await supabase.from('org_members').upsert({ user_id: userId, org_id: orgId }).select().single() // expect: org-scope-unchecked
  return Response.json({ ok: true })
}
