import { supabase } from '@/lib/supabase'

export class LandingService {
  async destinationFor(userId: string, orgId?: string): Promise<string> {
    if (orgId) {
      const { data } = await supabase.from('orgs').select('slug').eq('id', orgId).single()
      if (data) return `/orgs/${data.slug}?by=${userId}`
    }
    return '/home'
  }
}

export const landingService = new LandingService()
