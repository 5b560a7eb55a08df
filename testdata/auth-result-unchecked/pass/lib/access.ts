export function resolveAccess(userId: string | null) {
  if (!userId) return { allowed: false as const }
  return { allowed: true as const, userId }
}
