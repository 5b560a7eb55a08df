// Expo's app configuration: `extra` is embedded in the manifest of every build.
export default {
  name: 'expo-mobile',
  slug: 'expo-mobile',
  extra: {
    publishableKey: process.env.EXPO_PUBLIC_CLERK_PUBLISHABLE_KEY,
    clerkSecretKey: process.env.CLERK_SECRET_KEY, // expect: secret-key-exposed-env
    adminKey: 'sk_live_38AibNyyurlGFb0EkjKWREhbiGjlvhkTp3SKQOo6Cd', // expect: secret-key-exposed-env
    eas: { projectId: 'b7d2a1f0-0000-4000-8000-000000000000' },
  },
}
