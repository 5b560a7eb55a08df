// An older draft that is built and never exported: Next.js never sees its `env`.
const draft = {
  env: {
    CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY,
  },
}

/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
}
