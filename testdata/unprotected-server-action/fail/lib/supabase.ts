import { auth } from '@clerk/nextjs/server'
import { createClient } from '@supabase/supabase-js'

// A Supabase client that acts as the signed-in user (the Clerk token, when there is one).
export async function supabaseForUser() {
  const { getToken } = await auth()
  const token = await getToken({ template: 'supabase' })
  return createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!, {
    global: { headers: token ? { Authorization: `Bearer ${token}` } : {} },
  })
}
