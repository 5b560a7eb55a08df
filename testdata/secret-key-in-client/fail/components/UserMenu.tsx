'use client'

import { useUser } from '@clerk/nextjs'

const CLERK_SECRET = 'sk_live_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdoc' // expect: secret-key-in-client

export function UserMenu() {
  const { user } = useUser()
  return <div data-k={"sk_test_J2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpY"}>{user?.firstName}</div> // expect: secret-key-in-client
}
