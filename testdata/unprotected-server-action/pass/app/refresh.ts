'use server'

import { supabaseForUser } from '@/lib/supabase'

// Builds a client and drops it: nothing is read back, changed or returned.
export async function refreshVendor(): Promise<void> {
  await supabaseForUser()
}
