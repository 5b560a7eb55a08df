import { clerkMiddleware, createRouteMatcher } from '@clerk/nuxt/server' // expect: create-route-matcher-deprecated

const isAdmin = createRouteMatcher(['/api/admin(.*)'])

export default clerkMiddleware((event) => {
  if (isAdmin(event) && !event.context.auth().userId) {
    throw createError({ statusCode: 401 })
  }
})
