import { ClerkProvider } from '@clerk/nextjs'
import { syncUser } from '../lib/sync'

// Its helper checks the session for its own work only: the layout renders every page for a
// signed-out request all the same.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await syncUser()
  return (
    <ClerkProvider>
      <html lang="en">
        <body>{children}</body>
      </html>
    </ClerkProvider>
  )
}
