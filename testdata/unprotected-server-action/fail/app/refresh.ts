'use server'

import { supabaseForUser } from '@/lib/supabase'

// Returns nothing, but the client it builds changes a row.
export async function refreshVendor(id: string): Promise<void> { // expect: unprotected-server-action
  const supabase = await supabaseForUser()
  await supabase.from('vendors').update({ refreshed_at: new Date().toISOString() }).eq('id', id)
}

// Returns nothing, but the helper it calls writes.
export async function touchVendor(id: string): Promise<void> { // expect: unprotected-server-action
  await markVendor(id)
}

async function markVendor(id: string) {
  const supabase = await supabaseForUser()
  await supabase.from('vendors').delete().eq('id', id)
}
