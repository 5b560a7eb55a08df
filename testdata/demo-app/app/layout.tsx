import { ClerkProvider } from '@clerk/nextjs'
import { UserMenu } from '@/components/UserMenu'

export const metadata = { title: 'Acme Projects' }

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <ClerkProvider>
      <html lang="en">
        <body>
          <header>
            <UserMenu />
          </header>
          <main>{children}</main>
        </body>
      </html>
    </ClerkProvider>
  )
}
