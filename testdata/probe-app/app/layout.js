import { ClerkProvider } from '@clerk/nextjs'

export const metadata = { title: 'probe app' }

export default function RootLayout({ children }) {
  return (
    <ClerkProvider>
      <html lang="en">
        <body>{children}</body>
      </html>
    </ClerkProvider>
  )
}
