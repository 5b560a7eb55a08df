import withBundleAnalyzer from '@next/bundle-analyzer'

const base = {
  env: {
    CLERK_SECRET_KEY: process.env.CLERK_SECRET_KEY, // expect: secret-key-exposed-env
  },
}

const nextConfig = { ...base, reactStrictMode: true }

export default withBundleAnalyzer({ enabled: false })(nextConfig)
