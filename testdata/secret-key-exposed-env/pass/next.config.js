module.exports = {
  env: {
    NEXT_PUBLIC_APP_URL: process.env.APP_URL,
    BUILD_ID: 'abc',
    PUBLISHABLE: process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY,
  },
  serverRuntimeConfig: { secret: process.env.CLERK_SECRET_KEY },
}
