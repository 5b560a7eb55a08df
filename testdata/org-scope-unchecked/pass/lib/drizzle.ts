import { and, eq } from 'drizzle-orm'
export { and, eq }
export declare const Orgs: { id: string }
export declare const OrgMembers: { id: string; orgId: string; userId: string }
export declare const dz: {
  query: { [table: string]: { findFirst: (q: unknown) => Promise<any> } }
  delete: (t: unknown) => { where: (c: unknown) => Promise<void> }
}
