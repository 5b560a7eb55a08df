export const routeRoles: Record<string, string[]> = {
  '/admin(.*)': ['admin'],
  '/reports(.*)': ['admin', 'analyst'],
}
