'use server'
import { adminKey } from '../lib/admin-key'
const clerkSecret = 'sk_test_wcgYByIOMezYQwlJCC3iLxWn59PathPruDp1FfWtp9'
export async function save() {
  return adminKey + clerkSecret
}
