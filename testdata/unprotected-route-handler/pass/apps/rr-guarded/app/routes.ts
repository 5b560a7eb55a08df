import { type RouteConfig, route } from '@react-router/dev/routes'
import { flatRoutes } from '@react-router/fs-routes'

export default [
  ...(await flatRoutes({ ignoredRouteFiles: ['**/*.test.tsx'] })),
  route('reports/:id', 'reports/report.tsx'),
] satisfies RouteConfig
