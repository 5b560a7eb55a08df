import { auth } from '@clerk/nextjs/server'
import { supabase, findUserByClerkId } from '@/lib/supabase'

// The caller's own membership row, filtered in a query builder's chain by the caller's app user
// (looked up by the session's id) and the organization: none, 404.
export async function GET(_req: Request, { params }: { params: { orgId: string } }) {
  const { userId } = await auth()
  if (!userId) return new Response('Unauthorized', { status: 401 })
  const orgId = params.orgId
  const user = await findUserByClerkId(userId)
  if (!user) return new Response('Not found', { status: 404 })
  const { data: membership, error } = await supabase
    .from('org_members')
    .select('role')
    .eq('user_id', user.id)
    .eq('org_id', orgId)
    .single()
  if (error || !membership) return new Response('Not a member', { status: 404 })
  return Response.json({ role: membership.role })
}
