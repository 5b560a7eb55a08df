/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
  env: {
    CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY, // expect: secret-key-exposed-env
    ADMIN: process.env.ADMIN_API_TOKEN, // expect: secret-key-exposed-env
    APP_SECRET: 'rotate-me', // expect: secret-key-exposed-env
    PUBLIC_URL: process.env.APP_URL,
  },
}
