// Near miss: only public values in `extra`; the secret is read by build tooling outside it.
const uploadToken = process.env.SENTRY_AUTH_TOKEN

export default {
  name: 'expo-mobile',
  slug: 'expo-mobile',
  hooks: { postPublish: [{ file: 'sentry-expo/upload-sourcemaps', config: { authToken: uploadToken } }] },
  extra: {
    publishableKey: process.env.EXPO_PUBLIC_CLERK_PUBLISHABLE_KEY,
    apiUrl: process.env.EXPO_PUBLIC_API_URL,
    eas: { projectId: 'b7d2a1f0-0000-4000-8000-000000000000' },
  },
}
