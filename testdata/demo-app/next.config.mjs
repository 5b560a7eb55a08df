/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  images: { remotePatterns: [{ hostname: 'img.clerk.com' }] },
  env: {
    APP_VERSION: process.env.npm_package_version,
    CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY,
  },
}

export default nextConfig
