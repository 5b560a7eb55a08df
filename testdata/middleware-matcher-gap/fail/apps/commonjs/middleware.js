const { clerkMiddleware } = require('@clerk/nextjs/server')

module.exports = clerkMiddleware()
module.exports.config = {
  matcher: ['/((?!api|_next).*)'], // expect: middleware-matcher-gap
}
