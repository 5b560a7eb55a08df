export const routeAccess: Record<string, string[]> = {
  '/admin(.*)': ['admin'],
}
