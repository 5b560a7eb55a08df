const { clerkMiddleware } = require('@clerk/nextjs/server')

module.exports = clerkMiddleware(async (auth) => {
  await auth.protect()
})
module.exports.config = { matcher: ['/((?!_next).*)', '/(api|trpc)(.*)'] }
