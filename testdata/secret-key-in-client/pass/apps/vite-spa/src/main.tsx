import { ClerkProvider } from '@clerk/clerk-react'

// Near miss: the publishable key is meant for the browser.
const publishableKey = 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k'

export function Root({ children }: { children: React.ReactNode }) {
  return <ClerkProvider publishableKey={publishableKey}>{children}</ClerkProvider>
}
