import { type RouteConfig, index, layout, prefix, route } from '@react-router/dev/routes'

export default [
  index('routes/home.tsx'),
  layout('routes/dashboard-layout.tsx', [
    ...prefix('projects', [
      index('routes/projects.tsx'),
      route(':projectId', 'routes/project.tsx'),
    ]),
  ]),
  route('api/export', 'routes/export.ts'),
] satisfies RouteConfig
