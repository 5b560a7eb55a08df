// Which roles may open which pages.
export const routeAccess: Record<string, string[]> = {
  '/admin(.*)': ['admin'],
  '/list/teachers': ['admin', 'teacher'],
  '/list/attendance': ['admin', 'teacher'],
}
