import { db } from '@/lib/db'

// The app's own RBAC: permissions come from the caller's roles in the organization.
export class AccessService {
  async canDo(userId: string, orgId: string, permission: string): Promise<boolean> {
    try {
      const granted = await this.grantedPermissions(userId, orgId)
      return granted.includes(permission)
    } catch {
      return false
    }
  }

  async grantedPermissions(userId: string, orgId: string): Promise<string[]> {
    const rows = await db.query('select permissions from member_roles where user_id = $1 and org_id = $2', [userId, orgId])
    return rows.flatMap((r: { permissions: string[] }) => r.permissions)
  }
}

export const accessService = new AccessService()
