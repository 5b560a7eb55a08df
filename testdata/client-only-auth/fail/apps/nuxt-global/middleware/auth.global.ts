// Clerk's documented global guard: only the routes the matcher lists are guarded.
const isProtectedRoute = createRouteMatcher(['/dashboard(.*)'])

export default defineNuxtRouteMiddleware((to) => {
  const { userId } = useAuth()
  if (!userId.value && isProtectedRoute(to)) {
    return navigateTo('/sign-in')
  }
})
