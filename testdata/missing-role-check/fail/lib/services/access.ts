// A placeholder: every caller is allowed.
export class AccessService {
  async canDo(userId: string, orgId: string, permission: string): Promise<boolean> {
    console.log('allowing', userId, orgId, permission)
    return true
  }
}

export const accessService = new AccessService()
