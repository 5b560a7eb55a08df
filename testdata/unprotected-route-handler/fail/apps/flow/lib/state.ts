import { db } from './db'

// Looks a shop up by slug; it never asks who is signed in.
export async function getShopState(slug: string) {
  const shop = await db.shop.findUnique({ where: { slug } })
  if (!shop) return { kind: 'missing' as const }
  return { kind: 'live' as const, shop }
}
