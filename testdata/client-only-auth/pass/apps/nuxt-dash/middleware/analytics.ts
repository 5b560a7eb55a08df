// Not a session guard: records the page view.
export default defineNuxtRouteMiddleware((to) => {
  useTrackPageView(to.fullPath)
})
