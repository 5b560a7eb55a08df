import { supabase } from '@/lib/supabase'

export class LandingService {
  async destinationFor(userId: string, orgId?: string): Promise<string> {
    if (orgId) {
      const ok = await this.verifyMembership(userId, orgId)
      if (ok) return `/orgs/${orgId}`
    }
    return '/home'
  }

  async verifyMembership(userId: string, orgId: string): Promise<boolean> {
    const { data } = await supabase.from('org_members').select('id').eq('user_id', userId).eq('org_id', orgId).single()
    return Boolean(data)
  }
}

export const landingService = new LandingService()
