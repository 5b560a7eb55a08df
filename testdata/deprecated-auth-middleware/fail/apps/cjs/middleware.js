const { authMiddleware } = require('@clerk/nextjs/server')

module.exports = authMiddleware({ publicRoutes: ['/'] }) // expect: deprecated-auth-middleware
module.exports.config = { matcher: ['/((?!_next).*)'] }
