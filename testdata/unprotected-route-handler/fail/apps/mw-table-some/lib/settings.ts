export const routeAccess: Record<string, string[]> = {
  '/api/reports(.*)': ['admin', 'analyst'],
  '/dashboard(.*)': ['admin', 'analyst', 'viewer'],
}
